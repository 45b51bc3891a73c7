// The LINE user side: pick one of the demo's LINE users or create one, add the account as a friend or
// block it, write text, stickers and pictures, and see the conversation as the user's LINE app shows it
// (what they wrote, what the account sent them), read again every second.
import { el, lineMessageView, STICKERS, stickerImage } from './elements.js';
import { get, post } from './http.js';
import { t, time } from './texts.js';

const POLL_MS = 1000;
const MAX_PICTURE_BYTES = 1024 * 1024;

const base64Of = (file) =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

export function startLineUser(ui) {
  let userId = null;
  /** The conversation on screen: whose, and how many items. */
  let shown = null;

  const showError = (e) => (ui.error.textContent = e ? t.failed(e.message) : '');
  /** Switches to another user: nothing of the previous user's conversation or friendship stays on screen. */
  const showUser = (id) => {
    userId = id;
    ui.users.value = id;
    shown = null;
    ui.list.replaceChildren();
    ui.friendship.textContent = '';
    delete ui.friendship.dataset.friendship;
  };
  const act = async (path, body) => {
    showError(null);
    try {
      await post(`/line/users/${userId}${path}`, body);
      await refresh();
      return true;
    } catch (e) {
      showError(e);
      return false;
    }
  };

  async function loadUsers(select) {
    const { users } = await get('/line/users');
    ui.users.replaceChildren(...users.map((u) => el('option', { value: u.userId }, `${u.displayName} (${u.userId.slice(0, 9)}…)`)));
    showUser(select ?? userId ?? users[0]?.userId ?? null);
    await refresh();
  }

  async function refresh() {
    if (!userId) return;
    const asked = userId;
    const { friendship, items } = await get(`/line/users/${asked}/conversation?seen=${shown?.userId === asked ? shown.count : -1}`);
    if (asked !== userId) return;
    ui.friendship.textContent = t.follow[friendship];
    ui.friendship.dataset.friendship = friendship;
    ui.follow.disabled = friendship === 'following';
    ui.block.disabled = friendship !== 'following';
    if (items === null) return;
    shown = { userId: asked, count: items.length };
    ui.list.replaceChildren(
      ...items.map((item) => {
        if (item.message.type === 'follow' || item.message.type === 'block') {
          return el('li', { class: 'event' }, item.message.type === 'follow' ? t.followed : t.blocked);
        }
        return el('li', { class: `bubble ${item.from === 'user' ? 'mine' : 'theirs'}`, 'data-from': item.from }, lineMessageView(item.message), el('p', { class: 'meta' }, time(item.at)));
      }),
    );
    ui.list.scrollTop = ui.list.scrollHeight;
  }

  async function poll() {
    try {
      await refresh();
    } catch (e) {
      showError(e);
    }
    setTimeout(poll, POLL_MS);
  }

  ui.users.onchange = () => {
    showUser(ui.users.value);
    void refresh();
  };
  ui.newUser.onsubmit = async (event) => {
    event.preventDefault();
    showError(null);
    try {
      const { userId: created } = await post('/line/users', { displayName: ui.newUserName.value.trim() || undefined });
      ui.newUserName.value = '';
      await loadUsers(created);
    } catch (e) {
      showError(e);
    }
  };
  ui.follow.onclick = () => act('/follow');
  ui.block.onclick = () => act('/block');
  ui.form.onsubmit = async (event) => {
    event.preventDefault();
    const text = ui.input.value;
    if (!text.trim()) return;
    if (await act('/messages', { text })) ui.input.value = '';
  };
  ui.stickers.replaceChildren(
    ...STICKERS.map((s) => el('button', { type: 'button', class: 'sticker-button', 'data-sticker-id': s.stickerId, onclick: () => act('/messages', { sticker: s }) }, stickerImage(s.stickerId))),
  );
  ui.picture.onchange = async () => {
    const file = ui.picture.files[0];
    ui.picture.value = '';
    if (!file) return;
    if (file.size > MAX_PICTURE_BYTES || !['image/png', 'image/jpeg'].includes(file.type)) return showError(new Error(t.pictureTooBig));
    await act('/messages', { image: { contentType: file.type, base64: await base64Of(file) } });
  };

  loadUsers().then(poll, showError);
}
