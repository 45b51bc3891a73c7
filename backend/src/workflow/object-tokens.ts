// Tokens of the enrolled record in a step's messages: {{contact.<property>}} in contact workflows,
// {{company.<property>}} in company workflows, each optionally with | default: "…", in any string value of
// a message object (text, altText, flex and template texts, labels, URIs). Pure: finding the tokens tells
// which properties a step needs; rendering fills them in per record. A token that cannot be read is a
// configuration problem named with its field, never sent as typed.
import type { LineMessage } from '../line/line-channel.ts';

/** The word a token starts with: the kind of record the workflow enrolls. */
export type TokenObject = 'contact' | 'company';

export interface ObjectToken {
  /** The input field the token is in (message_1 … message_5). */
  field: string;
  /** The token as written, for messages a marketer recognises. */
  raw: string;
  property: string;
  fallback: string;
}

export type ObjectValues = Record<string, string | null | undefined>;

export type TokenScan = { ok: true; tokens: ObjectToken[]; properties: string[] } | { ok: false; problem: string };

type Piece = string | Omit<ObjectToken, 'field'>;

const tokenPattern = (object: TokenObject) => new RegExp(String.raw`^\s*${object}\.([A-Za-z0-9_]+)\s*(?:\|\s*([A-Za-z_]*)\s*(?::\s*([\s\S]*?))?\s*)?$`);
const INNER: Record<TokenObject, RegExp> = { contact: tokenPattern('contact'), company: tokenPattern('company') };
const QUOTED = /^"([^"]*)"$|^'([^']*)'$/;

const fieldOf = (index: number) => `message_${index + 1}`;

function parseToken(object: TokenObject, raw: string, inner: string): Omit<ObjectToken, 'field'> | string {
  const m = INNER[object].exec(inner);
  if (!m) return `${raw} is not a ${object} token: write {{${object}.<property internal name>}}`;
  const [, property, filter, argument] = m;
  if (filter === undefined) return { raw, property, fallback: '' };
  if (filter !== 'default') return `${raw} uses the unknown filter "${filter}": only default: "fallback" is supported`;
  const quoted = argument === undefined ? null : QUOTED.exec(argument);
  if (!quoted) return `${raw}: default needs one fallback in double or single quotes, e.g. default: "お客様"`;
  return { raw, property, fallback: quoted[1] ?? quoted[2] };
}

/** The string cut into literal text and tokens, or the first problem in it. */
function piecesOf(object: TokenObject, text: string): Piece[] | string {
  const pieces: Piece[] = [];
  let at = 0;
  for (let open = text.indexOf('{{'); open !== -1; open = text.indexOf('{{', at)) {
    const close = text.indexOf('}}', open + 2);
    if (close === -1) return `the token starting "${text.slice(open, open + 30)}" is not closed with }}`;
    const token = parseToken(object, text.slice(open, close + 2), text.slice(open + 2, close));
    if (typeof token === 'string') return token;
    if (open > at) pieces.push(text.slice(at, open));
    pieces.push(token);
    at = close + 2;
  }
  if (at < text.length) pieces.push(text.slice(at));
  return pieces;
}

function eachString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) eachString(item, visit);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) eachString(item, visit);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  return value;
}

/** Every token of the messages, with the properties they need; or the first token that cannot be read. */
export function scanTokens(object: TokenObject, messages: LineMessage[]): TokenScan {
  const tokens: ObjectToken[] = [];
  for (const [index, message] of messages.entries()) {
    let problem: string | undefined;
    eachString(message, (text) => {
      if (problem || !text.includes('{{')) return;
      const pieces = piecesOf(object, text);
      if (typeof pieces === 'string') problem = pieces;
      else for (const p of pieces) if (typeof p !== 'string') tokens.push({ field: fieldOf(index), ...p });
    });
    if (problem) return { ok: false, problem: `${fieldOf(index)}: ${problem}` };
  }
  return { ok: true, tokens, properties: [...new Set(tokens.map((t) => t.property))] };
}

// In a link, a value becomes one URL component (a name with a space or & must not break the link); a
// token that is the whole string is the URL itself.
const isLink = (text: string) => /^https?:\/\//i.test(text);

/** The messages with every token replaced by the record's value, or its fallback when the value is empty. */
export function renderTokens(object: TokenObject, messages: LineMessage[], values: ObjectValues): LineMessage[] {
  const render = (text: string) => {
    if (!text.includes('{{')) return text;
    const pieces = piecesOf(object, text);
    if (typeof pieces === 'string') throw new Error(`renderTokens: unscanned messages (${pieces})`);
    return pieces
      .map((p) => {
        if (typeof p === 'string') return p;
        const value = values[p.property];
        const shown = value === null || value === undefined || value === '' ? p.fallback : value;
        return isLink(text) ? encodeURIComponent(shown) : shown;
      })
      .join('');
  };
  return messages.map((m) => mapStrings(m, render) as LineMessage);
}
