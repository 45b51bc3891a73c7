// The LINE card of the selected contact, as the card on the HubSpot contact record shows it: per LINE
// account the linked user and friendship, what waits for an answer, the sharing link when not linked;
// and the contact's LINE properties as HubSpot stores them.
import { el } from './elements.js';
import { get } from './http.js';
import { t, time } from './texts.js';

export async function loadCard(contactId) {
  return get(`/hubspot/api/contacts/${contactId}/line`);
}

export function renderCard(container, status) {
  container.replaceChildren(
    ...status.accounts.map((a) =>
      el(
        'div',
        { class: 'account' },
        el('p', { class: 'account-name' }, `${t.account}: ${a.account.name}`),
        a.link
          ? el(
              'p',
              {},
              el('strong', {}, a.link.displayName ?? a.link.lineUserId),
              ' · ',
              el('span', { class: `follow follow-${a.link.followStatus}`, 'data-follow-status': a.link.followStatus }, t.follow[a.link.followStatus]),
            )
          : el('p', {}, t.notLinked, ' ', el('a', { href: a.linking.sharedUrl, target: '_blank', rel: 'noopener' }, a.linking.sharedUrl)),
        a.unanswered
          ? el('p', { class: 'unanswered' }, t.waitingSince(time(a.unanswered.since)), a.unanswered.text ? `: “${a.unanswered.text}”` : '')
          : el('p', { class: 'quiet' }, t.noUnanswered),
      ),
    ),
  );
}

export function renderProperties(dl, contact) {
  const entries = Object.entries(contact.properties)
    .filter(([name, value]) => name.startsWith('line_') && value !== null && value !== '')
    .sort(([a], [b]) => a.localeCompare(b));
  dl.replaceChildren(...entries.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
}
