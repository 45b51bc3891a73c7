// Puts the page together: the HubSpot side (contacts list; for the picked contact its LINE card,
// properties and chat) and the LINE user side.
import { loadCard, renderCard, renderProperties } from './card.js';
import { openChat } from './chat.js';
import { contactName, startContacts } from './contacts.js';
import { startLineUser } from './line-user.js';
import { applyTexts, t } from './texts.js';

const $ = (id) => document.getElementById(id);
applyTexts(document.body);

const chatUi = {
  list: $('chat-messages'),
  empty: $('chat-empty'),
  older: $('chat-older'),
  live: $('chat-live'),
  blocked: $('chat-blocked'),
  form: $('composer'),
  input: $('composer-text'),
  send: $('composer-send'),
  templates: $('composer-templates'),
  templateNote: $('composer-template-note'),
  stickers: $('composer-stickers'),
  error: $('composer-error'),
};

/** The open contact: its id, when HubSpot last changed it, and its chat once one is open. */
let current = null;

async function refreshCard(opened) {
  let status;
  try {
    status = await loadCard(opened.contact.id);
  } catch (e) {
    $('card').textContent = t.failed(e.message);
    return;
  }
  if (current !== opened) return;
  renderCard($('card'), status);
  const linked = status.accounts.find((a) => a.link);
  $('chat').hidden = !linked;
  if (linked && !opened.chat) {
    opened.chat = openChat(chatUi, {
      contactId: opened.contact.id,
      accountId: linked.account.id,
      followStatus: linked.link.followStatus,
      onChange: () => refreshCard(opened),
    });
  }
}

function select(contact) {
  current?.chat?.close();
  current = { contact, chat: null };
  $('pick-contact').hidden = true;
  $('contact').hidden = false;
  $('chat').hidden = true;
  $('contact-name').textContent = contactName(contact);
  renderProperties($('properties'), contact);
  void refreshCard(current);
}

startContacts({
  tbody: $('contacts-body'),
  empty: $('contacts-empty'),
  error: $('contacts-error'),
  onSelect: select,
  onList(contacts) {
    const fresh = current && contacts.find((c) => c.id === current.contact.id);
    if (!fresh || fresh.updatedAt === current.contact.updatedAt) return;
    current.contact = fresh;
    $('contact-name').textContent = contactName(fresh);
    renderProperties($('properties'), fresh);
    void refreshCard(current);
  },
});

startLineUser({
  users: $('line-users'),
  newUser: $('line-new-user'),
  newUserName: $('line-new-user-name'),
  friendship: $('line-friendship'),
  follow: $('line-follow'),
  block: $('line-block'),
  list: $('line-messages'),
  form: $('line-composer'),
  input: $('line-text'),
  stickers: $('line-stickers'),
  picture: $('line-picture'),
  error: $('line-error'),
});
