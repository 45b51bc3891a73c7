// LINE's documented limits for the message objects a workflow step or a message template may send, checked
// before LINE is called so a bad step ends `failed` with a precise reason instead of costing a request (and
// a retry), and a template LINE would refuse is never saved.
// LINE's validate endpoint remains the authority for the inner structure of templates and flex.

export const MAX_MESSAGES = 5;
export const MAX_TEXT_UTF16 = 5_000;
const MAX_ALT_TEXT = 400;
const MAX_URL = 2_000;
/** LINE refuses a flex bubble whose JSON is larger than 30 KB; a carousel holds at most 12 bubbles. */
const MAX_FLEX_BUBBLE_BYTES = 30 * 1024;
const MAX_FLEX_BUBBLES = 12;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * A value holding a contact token is only known per contact: its length and form are checked once the
 * token is filled in (fill-tokens.ts applies these rules again to the rendered message).
 */
const hasToken = (v: unknown) => typeof v === 'string' && v.includes('{{');
const isHttps = (v: unknown) => hasToken(v) || (typeof v === 'string' && v.length <= MAX_URL && /^https:\/\/[^\s]+$/.test(v));

function needString(m: Obj, field: string, max: number): string | undefined {
  const v = m[field];
  if (typeof v !== 'string' || v.length === 0) return `${field} is required`;
  if (v.length > max && !hasToken(v)) return `${field} is longer than ${max} characters (${v.length})`;
  return undefined;
}

function needHttps(m: Obj, ...fields: string[]): string | undefined {
  for (const f of fields) if (!isHttps(m[f])) return `${f} must be an https:// URL of at most ${MAX_URL} characters`;
  return undefined;
}

function flexProblem(m: Obj): string | undefined {
  const alt = needString(m, 'altText', MAX_ALT_TEXT);
  if (alt) return alt;
  const contents = m.contents;
  if (!isObject(contents)) return 'contents must be a flex container object';
  const bubbles = contents.type === 'carousel' ? contents.contents : contents.type === 'bubble' ? [contents] : undefined;
  if (!Array.isArray(bubbles)) return 'contents.type must be "bubble" or "carousel"';
  if (bubbles.length < 1 || bubbles.length > MAX_FLEX_BUBBLES) return `a carousel holds 1 to ${MAX_FLEX_BUBBLES} bubbles`;
  for (const bubble of bubbles) {
    if (!isObject(bubble) || bubble.type !== 'bubble') return 'every carousel item must be a bubble';
    const bytes = Buffer.byteLength(JSON.stringify(bubble));
    if (bytes > MAX_FLEX_BUBBLE_BYTES) return `a flex bubble is ${bytes} bytes of JSON; LINE allows ${MAX_FLEX_BUBBLE_BYTES}`;
  }
  return undefined;
}

const rules: Record<string, (m: Obj) => string | undefined> = {
  text: (m) => needString(m, 'text', MAX_TEXT_UTF16),
  sticker: (m) => (typeof m.packageId === 'string' && typeof m.stickerId === 'string' ? undefined : 'packageId and stickerId must be strings'),
  image: (m) => needHttps(m, 'originalContentUrl', 'previewImageUrl'),
  video: (m) => needHttps(m, 'originalContentUrl', 'previewImageUrl'),
  audio: (m) => needHttps(m, 'originalContentUrl') ?? (typeof m.duration === 'number' && m.duration > 0 ? undefined : 'duration (ms) is required'),
  location: (m) =>
    needString(m, 'title', 100) ?? needString(m, 'address', 100) ?? (typeof m.latitude === 'number' && typeof m.longitude === 'number' ? undefined : 'latitude and longitude must be numbers'),
  imagemap: (m) =>
    needHttps(m, 'baseUrl') ?? needString(m, 'altText', MAX_ALT_TEXT) ?? (isObject(m.baseSize) && Array.isArray(m.actions) ? undefined : 'baseSize and actions are required'),
  template: (m) => needString(m, 'altText', MAX_ALT_TEXT) ?? (isObject(m.template) ? undefined : 'template must be an object'),
  flex: flexProblem,
};

/** Why LINE would refuse this message object, or undefined when it passes LINE's documented limits. */
export function messageProblem(message: unknown): string | undefined {
  if (!isObject(message)) return 'is not a JSON object';
  const rule = typeof message.type === 'string' ? rules[message.type] : undefined;
  if (!rule) return `type must be one of ${Object.keys(rules).join(', ')}`;
  return rule(message);
}
