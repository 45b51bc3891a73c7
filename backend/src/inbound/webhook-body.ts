// The shape of a LINE webhook body as far as storing it needs: every event must be identifiable
// (webhookEventId) and datable; everything else is kept as sent, so unknown types and fields survive.
// Checked by hand rather than with a schema library: at the webhook's rate, a schema's parse, which builds
// a copy of every event, cost a 20-event delivery a fifth of its CPU (npm run bench).
import type { FieldProblem } from '../http/errors.ts';

export interface WebhookSource {
  [field: string]: unknown;
  type: string;
  userId?: string;
  groupId?: string;
  roomId?: string;
}

export interface WebhookEvent {
  [field: string]: unknown;
  type: string;
  webhookEventId: string;
  timestamp: number;
  mode?: string;
  source?: WebhookSource;
  deliveryContext?: { [field: string]: unknown; isRedelivery?: boolean };
}

export interface WebhookBody {
  destination: string;
  events: WebhookEvent[];
}

/** Events in one delivery at most. */
const MAX_EVENTS = 1000;
/** Problems reported at most: a body of a thousand broken events is named by its first ones. */
const MAX_PROBLEMS = 20;

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body as a webhook body (the same object, not a copy), or the problems that make it not one. */
export function checkWebhookBody(value: unknown): { body: WebhookBody } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (path: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, message });
  };
  const text = (fields: Fields, name: string, path: string, min: number, max: number, optional = false) => {
    const v = fields[name];
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || v.length < min || v.length > max) problem(`${path}${name}`, `expected a string of ${min} to ${max} characters`);
  };
  if (!isObject(value)) return { problems: [{ path: '(body)', message: 'expected an object' }] };
  text(value, 'destination', '', 0, 64);
  const events = value.events;
  if (!Array.isArray(events) || events.length > MAX_EVENTS) {
    problem('events', `expected an array of at most ${MAX_EVENTS} events`);
    return { problems };
  }
  events.forEach((event: unknown, i) => {
    const at = `events.${i}.`;
    if (!isObject(event)) return problem(`events.${i}`, 'expected an object');
    text(event, 'type', at, 1, 64);
    text(event, 'webhookEventId', at, 1, 64);
    if (!Number.isSafeInteger(event.timestamp) || (event.timestamp as number) < 0) problem(`${at}timestamp`, 'expected a non-negative integer');
    text(event, 'mode', at, 0, 16, true);
    const source = event.source;
    if (source !== undefined) {
      if (!isObject(source)) problem(`${at}source`, 'expected an object');
      else {
        text(source, 'type', `${at}source.`, 0, 16);
        for (const id of ['userId', 'groupId', 'roomId']) text(source, id, `${at}source.`, 1, 64, true);
      }
    }
    const delivery = event.deliveryContext;
    if (delivery !== undefined) {
      if (!isObject(delivery)) problem(`${at}deliveryContext`, 'expected an object');
      else if (delivery.isRedelivery !== undefined && typeof delivery.isRedelivery !== 'boolean') problem(`${at}deliveryContext.isRedelivery`, 'expected a boolean');
    }
  });
  return problems.length ? { problems } : { body: value as unknown as WebhookBody };
}

/** The chat an event belongs to (group or room before user): its events are processed one at a time, in order. */
export function chatIdOf(event: WebhookEvent): string | undefined {
  const s = event.source;
  return s?.groupId ?? s?.roomId ?? s?.userId;
}
