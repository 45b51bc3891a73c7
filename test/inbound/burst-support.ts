// Drives a burst of LINE traffic: 200 users become friends, then each sends 5 messages (1,000 in all),
// delivered in signed bodies of 20 events, several bodies at a time but never two bodies with the same
// user in flight at once (LINE delivers one user's events in order), plus the checks every burst test makes.
import { expect } from 'vitest';
import type { LineEmulator, SimUser, WebhookEvent } from '../emulators/line/index.ts';
import type { Portal } from '../emulators/hubspot/index.ts';

export const USERS = 200;
export const MESSAGES_PER_USER = 5;

export interface Burst {
  users: SimUser[];
  rounds: WebhookEvent[][];
  /** The last message event of each user. */
  lastMessage: Map<string, WebhookEvent>;
}

export function buildBurst(line: LineEmulator, channelId: string): Burst {
  const users = Array.from({ length: USERS }, (_, i) => line.createUser({ displayName: `Burst User${i}` }));
  const rounds: WebhookEvent[][] = [users.map((u) => line.events.follow(channelId, u.userId))];
  const lastMessage = new Map<string, WebhookEvent>();
  for (let r = 0; r < MESSAGES_PER_USER; r++) {
    rounds.push(
      users.map((u) => {
        const event = line.events.text(channelId, u.userId, `round ${r} from ${u.displayName}`);
        lastMessage.set(u.userId, event);
        return event;
      }),
    );
  }
  return { users, rounds, lastMessage };
}

/** Delivers every round (rounds in order, bodies of a round in parallel); returns the bodies that got no 200. */
export async function deliverBurst(line: LineEmulator, channelId: string, burst: Burst, bodySize = 20): Promise<WebhookEvent[][]> {
  const failed: WebhookEvent[][] = [];
  for (const round of burst.rounds) {
    const bodies: WebhookEvent[][] = [];
    for (let i = 0; i < round.length; i += bodySize) bodies.push(round.slice(i, i + bodySize));
    const answers = await Promise.all(bodies.map((b) => line.deliver(channelId, b)));
    answers.forEach((a, i) => a.status !== 200 && failed.push(bodies[i]));
  }
  return failed;
}

/** Every message stored once; one contact per user with current properties; each message on the timeline once. */
export async function expectBurstComplete(o: { db: import('knex').Knex; portal: Portal; burst: Burst; accountId: number }): Promise<void> {
  const messages = await o.db('messages').where({ line_account_id: o.accountId, direction: 'inbound' }).select('line_message_id');
  expect(messages).toHaveLength(USERS * MESSAGES_PER_USER);
  expect(new Set(messages.map((m) => m.line_message_id)).size).toBe(USERS * MESSAGES_PER_USER);
  for (const user of o.burst.users) {
    const contacts = o.portal.contacts().filter((c) => c.properties.line_user_id === user.userId);
    expect(contacts, user.userId).toHaveLength(1);
    expect(contacts[0].properties).toMatchObject({
      line_follow_status: 'following',
      line_unanswered: 'true',
      line_unanswered_message: `round ${MESSAGES_PER_USER - 1} from ${user.displayName}`,
      line_last_inbound_at: new Date(o.burst.lastMessage.get(user.userId)!.timestamp).toISOString(),
    });
  }
  const occurrences = o.portal.timelineEvents().map((e) => e.id);
  expect(occurrences).toHaveLength(USERS * MESSAGES_PER_USER);
  expect(new Set(occurrences).size).toBe(USERS * MESSAGES_PER_USER);
}
