// Building the page's elements, and the inside of a chat bubble for each kind of LINE message, shared by
// both sides of the page.
import { t } from './texts.js';

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

export const stickerImageUrl = (stickerId) => `https://stickershop.line-scdn.net/stickershop/v1/sticker/${stickerId}/android/sticker.png`;

/** A few stickers of LINE's free "Moon, James, Sally" package, offered on both sides. */
export const STICKERS = ['1988', '1989', '1990', '1991', '1992', '1993'].map((stickerId) => ({ packageId: '446', stickerId }));

/** The sticker's picture from LINE's servers; offline, its name instead of a broken image. */
export function stickerImage(stickerId) {
  const image = el('img', { class: 'sticker', src: stickerImageUrl(stickerId), alt: t.sticker(stickerId), width: 72, height: 72 });
  image.addEventListener('error', () => image.replaceWith(el('span', { class: 'sticker-name', role: 'img', 'aria-label': t.sticker(stickerId) }, t.sticker(stickerId))));
  return image;
}

/** A LINE message object as the LINE user receives it (text, sticker, picture, or anything else by type). */
export function lineMessageView(message) {
  switch (message.type) {
    case 'text':
      return el('p', { class: 'text' }, message.text);
    case 'sticker':
      return stickerImage(message.stickerId);
    case 'image':
      return el('img', { class: 'picture', src: message.src ?? message.previewImageUrl ?? message.originalContentUrl, alt: t.image });
    default:
      return el('p', { class: 'alt' }, message.altText ?? t.other(message.type));
  }
}

/** A message as the backend's chat API describes it (see src/app/cards/api/types.ts). */
export function chatContentView(message) {
  if (message.status === 'unsent') return el('p', { class: 'alt' }, t.status.unsent);
  const content = message.content;
  switch (content.kind) {
    case 'text':
      return el('p', { class: 'text' }, content.text);
    case 'sticker':
      return stickerImage(content.stickerId);
    case 'image':
      return content.url
        ? el('a', { href: content.url, target: '_blank', rel: 'noopener' }, el('img', { class: 'picture', src: content.previewUrl ?? content.url, alt: t.image }))
        : el('p', { class: 'alt' }, t.image);
    case 'file':
      return content.url ? el('a', { href: content.url, target: '_blank', rel: 'noopener' }, content.name ?? content.fileType) : el('p', { class: 'alt' }, content.name ?? content.fileType);
    case 'location':
      return el('a', { href: content.mapUrl, target: '_blank', rel: 'noopener' }, content.title ?? content.address ?? 'location');
    default:
      return el('p', { class: 'alt' }, content.text ?? t.other(content.messageType ?? content.kind));
  }
}
