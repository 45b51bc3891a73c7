// The HubSpot contacts list: the emulated portal's contacts with their LINE properties, read again every
// couple of seconds (HubSpot's own list does not update live either; here it saves pressing reload).
import { el } from './elements.js';
import { get } from './http.js';
import { t, time } from './texts.js';

const POLL_MS = 1500;

export const contactName = (c) =>
  [c.properties.firstname, c.properties.lastname].filter(Boolean).join(' ') || c.properties.line_display_name || c.properties.email || `#${c.id}`;

/** Calls onList with every fresh list and onSelect when a row is picked; the selected row stays marked. */
export function startContacts({ tbody, empty, error, onList, onSelect }) {
  let contacts = [];
  let selected = null;

  function render() {
    empty.hidden = contacts.length > 0;
    tbody.replaceChildren(
      ...contacts.map((c) => {
        const p = c.properties;
        const pick = () => {
          selected = c.id;
          render();
          onSelect(c);
        };
        return el(
          'tr',
          { 'data-contact-id': c.id, 'aria-selected': String(c.id === selected), tabindex: 0, onclick: pick, onkeydown: (e) => e.key === 'Enter' && pick() },
          el('td', {}, contactName(c)),
          el('td', {}, p.line_display_name ?? '—'),
          el('td', {}, p.line_follow_status ? (t.follow[p.line_follow_status] ?? p.line_follow_status) : '—'),
          el('td', { class: p.line_unanswered === 'true' ? 'unanswered' : '' }, p.line_unanswered === 'true' ? t.yes : '—'),
          el('td', {}, time(Date.parse(p.line_last_inbound_at ?? ''))),
        );
      }),
    );
  }

  async function poll() {
    try {
      const { results } = await get('/hubspot/contacts');
      contacts = results.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
      error.textContent = '';
      render();
      onList(contacts);
    } catch (e) {
      error.textContent = t.failed(e.message);
    }
    setTimeout(poll, POLL_MS);
  }
  void poll();
}
