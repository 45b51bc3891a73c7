// One line of text for a LINE message object, as shown in the unanswered-message property,
// the owner's task and the timeline (and for messages without text, what kind of message it was).

const MAX_SUMMARY = 1000;

type LineMessage = Record<string, unknown> & { type?: unknown };

export const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'file']);

export function summarizeMessage(message: LineMessage): string {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  let text: string;
  switch (message.type) {
    case 'text':
    case 'textV2':
      text = str(message.text);
      break;
    case 'sticker':
      text = '[Sticker]';
      break;
    case 'image':
      text = '[Image]';
      break;
    case 'video':
      text = '[Video]';
      break;
    case 'audio':
      text = '[Audio]';
      break;
    case 'file':
      text = `[File] ${str(message.fileName)}`.trim();
      break;
    case 'location':
      text = `[Location] ${[str(message.title), str(message.address)].filter(Boolean).join(' ')}`.trim();
      break;
    default:
      text = str(message.altText) || `[${str(message.type) || 'message'}]`;
  }
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

export const UNSENT_SUMMARY = '[Unsent]';
