// Validation of message objects and send requests, as strict as the LINE Platform, answering with
// its detail format: { message, property: "messages[0].text" }.
import type { ErrorDetail } from './http.ts';

type Obj = Record<string, unknown>;

const MESSAGE_TYPES = ['text', 'textV2', 'sticker', 'image', 'video', 'audio', 'location', 'imagemap', 'template', 'flex', 'coupon'];
const COMMON = ['type', 'quickReply', 'sender'];
const MESSAGE_PROPERTIES: Record<string, string[]> = {
  text: ['text', 'emojis', 'quoteToken'],
  textV2: ['text', 'substitution', 'quoteToken'],
  sticker: ['packageId', 'stickerId', 'quoteToken'],
  image: ['originalContentUrl', 'previewImageUrl'],
  video: ['originalContentUrl', 'previewImageUrl', 'trackingId'],
  audio: ['originalContentUrl', 'duration'],
  location: ['title', 'address', 'latitude', 'longitude'],
  imagemap: ['baseUrl', 'altText', 'baseSize', 'actions', 'video'],
  template: ['altText', 'template'],
  flex: ['altText', 'contents'],
  coupon: ['couponId', 'deliveryTag'],
};
const ACTION_TYPES = ['camera', 'cameraRoll', 'clipboard', 'datetimepicker', 'location', 'message', 'postback', 'richmenuswitch', 'uri'];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** LINE counts text length in UTF-16 code units. */
const len = (s: string) => s.length;

export function isHttpsUrl(v: unknown): boolean {
  if (typeof v !== 'string' || v.length > 2000) return false;
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
}

class Collector {
  details: ErrorDetail[] = [];
  add(property: string, message: string) {
    this.details.push({ message, property });
  }
  required(o: Obj, prop: string, path: string): boolean {
    if (o[prop] === undefined || o[prop] === null) {
      this.add(`${path}.${prop}`, 'must be specified');
      return false;
    }
    return true;
  }
  string(o: Obj, prop: string, path: string, max: number, opts: { required?: boolean; nonEmpty?: boolean } = {}) {
    const v = o[prop];
    if (v === undefined || v === null) {
      if (opts.required ?? true) this.add(`${path}.${prop}`, 'must be specified');
      return;
    }
    if (typeof v !== 'string') return this.add(`${path}.${prop}`, 'must be a string');
    if ((opts.nonEmpty ?? true) && v.length === 0) return this.add(`${path}.${prop}`, 'May not be empty');
    if (len(v) > max) this.add(`${path}.${prop}`, `Length must be between 0 and ${max}`);
  }
  https(o: Obj, prop: string, path: string, required = true) {
    const v = o[prop];
    if (v === undefined || v === null) {
      if (required) this.add(`${path}.${prop}`, 'must be specified');
      return;
    }
    if (!isHttpsUrl(v)) this.add(`${path}.${prop}`, 'must be a valid HTTPS URL (max 2000 characters)');
  }
  size(v: unknown, path: string, min: number, max: number): v is unknown[] {
    if (!Array.isArray(v)) {
      this.add(path, 'must be specified');
      return false;
    }
    if (v.length < min || v.length > max) {
      this.add(path, `Size must be between ${min} and ${max}`);
      return false;
    }
    return true;
  }
}

function checkAction(c: Collector, a: unknown, path: string, labelRequired: boolean) {
  if (!isObj(a)) return c.add(path, 'must be specified');
  if (!ACTION_TYPES.includes(String(a.type))) return c.add(`${path}.type`, `Must be one of the following values: [${ACTION_TYPES.join(', ')}]`);
  c.string(a, 'label', path, 20, { required: labelRequired && a.type !== 'location' && a.type !== 'camera' && a.type !== 'cameraRoll' });
  if (a.type === 'message') c.string(a, 'text', path, 300);
  if (a.type === 'postback') c.string(a, 'data', path, 300, { nonEmpty: false });
  if (a.type === 'uri' && !(typeof a.uri === 'string' && /^(https?|line|tel):/.test(a.uri) && a.uri.length <= 1000)) {
    c.add(`${path}.uri`, 'must be a valid URI (http, https, line or tel)');
  }
  if (a.type === 'clipboard') c.string(a, 'clipboardText', path, 1000);
  if (a.type === 'datetimepicker' && !['date', 'time', 'datetime'].includes(String(a.mode))) c.add(`${path}.mode`, 'Must be one of the following values: [date, time, datetime]');
}

function checkTemplate(c: Collector, t: unknown, path: string) {
  if (!isObj(t)) return c.add(path, 'must be specified');
  const actions = (v: unknown, p: string, min: number, max: number) => {
    if (c.size(v, p, min, max)) v.forEach((a, i) => checkAction(c, a, `${p}[${i}]`, true));
  };
  switch (t.type) {
    case 'buttons': {
      const compact = t.thumbnailImageUrl !== undefined || t.title !== undefined;
      c.string(t, 'text', path, compact ? 60 : 160);
      if (t.title !== undefined) c.string(t, 'title', path, 40);
      c.https(t, 'thumbnailImageUrl', path, false);
      actions(t.actions, `${path}.actions`, 1, 4);
      return;
    }
    case 'confirm':
      c.string(t, 'text', path, 240);
      actions(t.actions, `${path}.actions`, 2, 2);
      return;
    case 'carousel':
      if (c.size(t.columns, `${path}.columns`, 1, 10)) {
        t.columns.forEach((col, i) => {
          const p = `${path}.columns[${i}]`;
          if (!isObj(col)) return c.add(p, 'must be specified');
          c.string(col, 'text', p, col.thumbnailImageUrl !== undefined || col.title !== undefined ? 60 : 120);
          c.https(col, 'thumbnailImageUrl', p, false);
          actions(col.actions, `${p}.actions`, 1, 3);
        });
      }
      return;
    case 'image_carousel':
      if (c.size(t.columns, `${path}.columns`, 1, 10)) {
        t.columns.forEach((col, i) => {
          const p = `${path}.columns[${i}]`;
          if (!isObj(col)) return c.add(p, 'must be specified');
          c.https(col, 'imageUrl', p);
          checkAction(c, col.action, `${p}.action`, false);
        });
      }
      return;
    default:
      c.add(`${path}.type`, 'Must be one of the following values: [buttons, confirm, carousel, image_carousel]');
  }
}

function checkFlexContainer(c: Collector, v: unknown, path: string) {
  if (!isObj(v)) return c.add(path, 'must be specified');
  if (v.type === 'bubble') {
    for (const block of ['header', 'body', 'footer']) {
      const b = v[block];
      if (b !== undefined && (!isObj(b) || b.type !== 'box')) c.add(`${path}.${block}.type`, 'must be box');
    }
    return;
  }
  if (v.type === 'carousel') {
    if (c.size(v.contents, `${path}.contents`, 1, 12)) {
      v.contents.forEach((b, i) => {
        if (!isObj(b) || b.type !== 'bubble') c.add(`${path}.contents[${i}].type`, 'must be bubble');
      });
    }
    return;
  }
  c.add(`${path}.type`, 'Must be one of the following values: [bubble, carousel]');
}

function checkMessage(c: Collector, m: unknown, path: string, quoteTokenKnown: (t: string) => boolean) {
  if (!isObj(m)) return c.add(path, 'must be specified');
  const type = String(m.type);
  if (!MESSAGE_TYPES.includes(type)) return c.add(`${path}.type`, `Must be one of the following values: [${MESSAGE_TYPES.join(', ')}]`);
  for (const prop of Object.keys(m)) {
    if (!COMMON.includes(prop) && !MESSAGE_PROPERTIES[type].includes(prop)) c.add(`${path}.${prop}`, 'The property is not supported for this message type');
  }
  switch (type) {
    case 'text':
    case 'textV2':
      c.string(m, 'text', path, 5000);
      break;
    case 'sticker':
      c.string(m, 'packageId', path, 100);
      c.string(m, 'stickerId', path, 100);
      break;
    case 'image':
      c.https(m, 'originalContentUrl', path);
      c.https(m, 'previewImageUrl', path);
      break;
    case 'video':
      c.https(m, 'originalContentUrl', path);
      c.https(m, 'previewImageUrl', path);
      if (m.trackingId !== undefined) c.string(m, 'trackingId', path, 100);
      break;
    case 'audio':
      c.https(m, 'originalContentUrl', path);
      if (c.required(m, 'duration', path) && !(Number.isInteger(m.duration) && (m.duration as number) > 0)) c.add(`${path}.duration`, 'must be a positive integer');
      break;
    case 'location':
      c.string(m, 'title', path, 100);
      c.string(m, 'address', path, 100);
      for (const p of ['latitude', 'longitude']) if (c.required(m, p, path) && typeof m[p] !== 'number') c.add(`${path}.${p}`, 'must be a number');
      break;
    case 'imagemap':
      c.https(m, 'baseUrl', path);
      c.string(m, 'altText', path, 400);
      if (!isObj(m.baseSize) || m.baseSize.width !== 1040 || !Number.isInteger(m.baseSize.height)) c.add(`${path}.baseSize`, 'width must be 1040 and height an integer');
      c.size(m.actions, `${path}.actions`, 0, 50);
      break;
    case 'template':
      c.string(m, 'altText', path, 400);
      checkTemplate(c, m.template, `${path}.template`);
      break;
    case 'flex':
      c.string(m, 'altText', path, 1500);
      checkFlexContainer(c, m.contents, `${path}.contents`);
      break;
    case 'coupon':
      c.string(m, 'couponId', path, 100);
      break;
  }
  if (typeof m.quoteToken === 'string' && !quoteTokenKnown(m.quoteToken)) c.add(`${path}.quoteToken`, 'The quoteToken is invalid');
  if (m.quickReply !== undefined) {
    const q = m.quickReply;
    if (!isObj(q)) c.add(`${path}.quickReply`, 'must be an object');
    else if (c.size(q.items, `${path}.quickReply.items`, 1, 13)) {
      q.items.forEach((item, i) => {
        const p = `${path}.quickReply.items[${i}]`;
        if (!isObj(item)) return c.add(p, 'must be specified');
        if (item.imageUrl !== undefined) c.https(item, 'imageUrl', p);
        checkAction(c, item.action, `${p}.action`, true);
      });
    }
  }
  if (m.sender !== undefined) {
    if (!isObj(m.sender)) c.add(`${path}.sender`, 'must be an object');
    else {
      if (m.sender.name !== undefined) c.string(m.sender, 'name', `${path}.sender`, 20);
      if (m.sender.iconUrl !== undefined) c.https(m.sender, 'iconUrl', `${path}.sender`);
    }
  }
}

/** Validates `messages` (1..5 message objects). */
export function validateMessages(messages: unknown, quoteTokenKnown: (t: string) => boolean = () => true): ErrorDetail[] {
  const c = new Collector();
  if (c.size(messages, 'messages', 1, 5)) messages.forEach((m, i) => checkMessage(c, m, `messages[${i}]`, quoteTokenKnown));
  return c.details;
}

/** Properties a request body may have, per endpoint; anything else is rejected like LINE does. */
export const REQUEST_PROPERTIES = {
  push: ['to', 'messages', 'notificationDisabled', 'customAggregationUnits'],
  reply: ['replyToken', 'messages', 'notificationDisabled'],
  multicast: ['to', 'messages', 'notificationDisabled', 'customAggregationUnits'],
  narrowcast: ['messages', 'recipient', 'filter', 'limit', 'notificationDisabled'],
  broadcast: ['messages', 'notificationDisabled'],
  validate: ['messages'],
} as const;

/** The first property of `body` not in `allowed`, if any. */
export function unknownProperty(body: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  return Object.keys(body).find((k) => !allowed.includes(k));
}
