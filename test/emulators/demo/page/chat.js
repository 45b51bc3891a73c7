// The chat panel of the LINE card for one contact and LINE account, on the backend's real chat API: the
// newest page of history, older pages on demand, updates held open by the backend while the panel is
// open, sending text (or a template's text) and stickers with a client message id made once per message,
// retrying a failed one, and the read mark and typing indicator once the rep starts answering.
import { chatContentView, el, STICKERS, stickerImage } from './elements.js';
import { call, get, post } from './http.js';
import { t, time } from './texts.js';

const PAGE_SIZE = 30;
const WAIT_MS = 10_000;
const RECONNECT_MS = 2_000;
const MIN_EMPTY_POLL_MS = 2_000;
const TYPING_EVERY_MS = 5_000;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A template the composer can fill in: one text message; the others are for workflow steps. */
const composerText = (template) => (template.messages.length === 1 && template.messages[0].type === 'text' ? template.messages[0].text : null);

/** Opens the chat in `ui`; onChange is called when messages or the friendship change (the card may have too). Answers close(). */
export function openChat(ui, { contactId, accountId, followStatus: initialFollow, onChange }) {
  const base = `/hubspot/api/contacts/${contactId}/messages`;
  const messages = new Map();
  let open = true;
  let followStatus = initialFollow;
  let before = null;
  let unanswered = null;
  let lastTyping = 0;
  let markedUpTo = 0;

  function render() {
    const sorted = [...messages.values()].sort((a, b) => a.id - b.id);
    ui.empty.hidden = sorted.length > 0;
    ui.list.replaceChildren(
      ...sorted.map((m) =>
        el(
          'li',
          { class: `bubble ${m.direction}`, 'data-message-id': m.id, 'data-status': m.status },
          chatContentView(m),
          el(
            'p',
            { class: 'meta' },
            [m.sender?.name, time(m.sentAt ?? m.createdAt), t.status[m.status]].filter(Boolean).join(' · '),
            m.error ? el('span', { class: 'error' }, ` ${m.error}`) : null,
            m.canRetry ? el('button', { type: 'button', class: 'link', onclick: () => retry(m.id) }, t.retry) : null,
          ),
        ),
      ),
    );
    ui.list.scrollTop = ui.list.scrollHeight;
    const blocked = followStatus === 'blocked';
    ui.blocked.hidden = !blocked;
    for (const control of ui.composerControls) control.disabled = blocked;
  }
  const merge = (list) => {
    for (const m of list) messages.set(m.id, m);
    render();
  };
  const showError = (e) => (ui.error.textContent = e ? t.failed(e.message) : '');

  /** The customer sees 既読 only once the rep answers, not when the panel opens. */
  function markRead() {
    const unread = [...messages.values()].filter((m) => m.direction === 'inbound' && m.readAt === null && m.id > markedUpTo);
    if (unread.length === 0) return;
    markedUpTo = Math.max(...unread.map((m) => m.id));
    post(`${base}/read`, { accountId }).catch(() => undefined);
  }
  function typing() {
    markRead();
    if (Date.now() - lastTyping < TYPING_EVERY_MS) return;
    lastTyping = Date.now();
    post(`/hubspot/api/contacts/${contactId}/typing`, { accountId }).catch(() => undefined);
  }

  async function send(content) {
    showError(null);
    markRead();
    try {
      const { message } = await post(base, { accountId, clientMessageId: content.clientMessageId ?? crypto.randomUUID(), ...content.body });
      merge([message]);
      onChange();
      return true;
    } catch (e) {
      showError(e);
      return false;
    }
  }
  async function sendText(event) {
    event.preventDefault();
    const text = ui.input.value;
    if (!text.trim()) return;
    // Sending the same text again after an error is a retry of the same message: LINE gets it once.
    if (unanswered?.text !== text) unanswered = { text, clientMessageId: crypto.randomUUID() };
    ui.send.disabled = true;
    if (await send({ clientMessageId: unanswered.clientMessageId, body: { text } })) {
      ui.input.value = '';
      unanswered = null;
    }
    ui.send.disabled = followStatus === 'blocked';
  }
  async function retry(messageId) {
    try {
      const { message } = await post(`${base}/${messageId}/retry`, { accountId });
      merge([message]);
    } catch (e) {
      showError(e);
    }
  }

  async function loadTemplates() {
    const { templates } = await get('/hubspot/api/templates').catch(() => ({ templates: [] }));
    ui.templates.replaceChildren(
      el('option', { value: '' }, t.pickTemplate),
      ...templates.map((tpl) => el('option', { value: tpl.id }, composerText(tpl) === null ? t.forWorkflows(tpl.name) : tpl.name)),
    );
    ui.templates.onchange = () => {
      const tpl = templates.find((x) => String(x.id) === ui.templates.value);
      ui.templates.value = '';
      if (!tpl) return;
      const text = composerText(tpl);
      ui.templateNote.textContent = text === null ? t.workflowOnly(tpl.name) : '';
      if (text !== null) ui.input.value = ui.input.value.trim() ? `${ui.input.value}\n${text}` : text;
      ui.input.focus();
    };
  }

  async function loadOlder() {
    if (before === null) return;
    const page = await get(`${base}?accountId=${accountId}&limit=${PAGE_SIZE}&before=${before}`).catch((e) => showError(e));
    if (!page || !open) return;
    before = page.cursor.before;
    ui.older.hidden = !page.hasMore;
    merge(page.messages);
  }

  async function follow() {
    let page;
    try {
      page = await get(`${base}?accountId=${accountId}&limit=${PAGE_SIZE}`);
    } catch (e) {
      showError(e);
      return;
    }
    if (!open) return;
    before = page.cursor.before;
    ui.older.hidden = !page.hasMore;
    merge(page.messages);
    ui.live.textContent = t.live;
    let { after, since } = page.cursor;
    while (open) {
      const asked = Date.now();
      try {
        const answer = await call('GET', `${base}/updates?accountId=${accountId}&after=${after}&since=${since}&waitMs=${WAIT_MS}&followStatus=${followStatus}`);
        if (!open) return;
        ui.live.textContent = t.live;
        ({ after, since } = answer.cursor);
        const changed = answer.messages.length > 0 || answer.followStatus !== followStatus;
        followStatus = answer.followStatus;
        if (changed) {
          merge(answer.messages);
          onChange();
        }
        // An empty answer that came at once means the backend is not holding requests: do not spin.
        const waitMs = answer.nextPollMs > 0 ? answer.nextPollMs : changed ? 0 : MIN_EMPTY_POLL_MS;
        await pause(Math.max(0, waitMs - (Date.now() - asked)));
      } catch {
        if (!open) return;
        ui.live.textContent = t.reconnecting;
        await pause(RECONNECT_MS);
      }
    }
  }

  ui.stickers.replaceChildren(
    ...STICKERS.map((s) =>
      el('button', { type: 'button', class: 'sticker-button', 'data-sticker-id': s.stickerId, onclick: () => send({ body: { sticker: s } }) }, stickerImage(s.stickerId)),
    ),
  );
  ui.composerControls = [ui.input, ui.send, ui.templates, ...ui.stickers.querySelectorAll('button')];
  ui.form.onsubmit = sendText;
  ui.input.oninput = typing;
  ui.older.onclick = loadOlder;
  ui.templateNote.textContent = '';
  showError(null);
  void loadTemplates();
  void follow();
  return {
    close() {
      open = false;
    },
  };
}
