// What the webhook takes as a LINE webhook body: every event identifiable and datable, everything else kept
// as sent; and for anything else, the fields to blame.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkWebhookBody } from '../../backend/src/inbound/webhook-body.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/line-webhook-text.json', import.meta.url), 'utf8'));

const event = (fields: Record<string, unknown> = {}) => ({
  type: 'message',
  mode: 'active',
  timestamp: 1_700_000_000_000,
  webhookEventId: '01HQ8Z9B3KX5Q2M7N4P6R8T0VW',
  source: { type: 'user', userId: `U${'0'.repeat(32)}` },
  deliveryContext: { isRedelivery: false },
  message: { id: '1', type: 'text', text: 'hi' },
  ...fields,
});
const body = (...events: unknown[]) => ({ destination: `U${'1'.repeat(32)}`, events });
const problemsOf = (value: unknown) => {
  const checked = checkWebhookBody(value);
  return 'problems' in checked ? checked.problems.map((p) => p.path) : [];
};

describe('LINE webhook body', () => {
  it('takes LINE deliveries as they are, unknown types and fields included, without copying them', () => {
    const group = event({ source: { type: 'group', groupId: `C${'2'.repeat(32)}`, userId: `U${'3'.repeat(32)}` } });
    const joined = { type: 'memberJoined', timestamp: 1, webhookEventId: '01HQ8Z9B3KX5Q2M7N4P6R8T0VX', source: { type: 'room', roomId: `R${'4'.repeat(32)}` }, joined: { members: [] } };
    const future = { type: 'somethingNew', timestamp: 0, webhookEventId: 'x', somethingNew: { nested: [1, 2] } };
    for (const value of [fixture, body(), body(event(), group, joined, future), body(...Array.from({ length: 1000 }, () => event()))]) {
      const checked = checkWebhookBody(value);
      expect('body' in checked && checked.body).toBe(value);
    }
  });

  it('names what makes a body not one', () => {
    expect(problemsOf(null)).toEqual(['(body)']);
    expect(problemsOf([event()])).toEqual(['(body)']);
    expect(problemsOf({ events: [] })).toEqual(['destination']);
    expect(problemsOf({ destination: 'U1', events: {} })).toEqual(['events']);
    expect(problemsOf(body(...Array.from({ length: 1001 }, () => event())))).toEqual(['events']);
    expect(problemsOf(body('event'))).toEqual(['events.0']);
    expect(problemsOf(body(event(), { type: 'message' }))).toEqual(['events.1.webhookEventId', 'events.1.timestamp']);
    expect(problemsOf(body(event({ type: '', webhookEventId: 'x'.repeat(65) })))).toEqual(['events.0.type', 'events.0.webhookEventId']);
    for (const timestamp of [-1, 1.5, '1700000000000', null, 2 ** 53]) expect(problemsOf(body(event({ timestamp }))), String(timestamp)).toEqual(['events.0.timestamp']);
    expect(problemsOf(body(event({ mode: 'x'.repeat(17) })))).toEqual(['events.0.mode']);
    expect(problemsOf(body(event({ mode: null })))).toEqual(['events.0.mode']);
    expect(problemsOf(body(event({ source: null })))).toEqual(['events.0.source']);
    expect(problemsOf(body(event({ source: { userId: 'U1' } })))).toEqual(['events.0.source.type']);
    expect(problemsOf(body(event({ source: { type: 'group', groupId: '', roomId: 7 } })))).toEqual(['events.0.source.groupId', 'events.0.source.roomId']);
    expect(problemsOf(body(event({ deliveryContext: { isRedelivery: 'yes' } })))).toEqual(['events.0.deliveryContext.isRedelivery']);
    expect(problemsOf(body(event({ deliveryContext: [] })))).toEqual(['events.0.deliveryContext']);
  });

  it('names at most twenty problems, the first ones', () => {
    const problems = problemsOf(body(...Array.from({ length: 500 }, () => ({ type: 'message' }))));
    expect(problems).toHaveLength(20);
    expect(problems.slice(0, 2)).toEqual(['events.0.webhookEventId', 'events.0.timestamp']);
  });
});
