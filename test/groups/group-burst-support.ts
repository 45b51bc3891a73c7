// Drives a burst of group traffic: 20 members across 3 groups the account's bot is in, 300 messages in all,
// delivered in signed bodies of 20 events that mix the groups, several bodies at a time (LINE sends one
// chat's events in order, so a body's events of one group are in order), plus the checks every group burst
// test makes: each message stored once, each writer one contact associated with the group's company, one
// session note per company holding every message once, the unanswered flag and one owner's task per company.
import { expect } from 'vitest';
import type { Knex } from 'knex';
import type { LineEmulator, SimUser, WebhookEvent } from '../emulators/line/index.ts';
import type { Portal } from '../emulators/hubspot/index.ts';

export const GROUPS = 3;
export const MEMBERS = 20;
export const MESSAGES = 300;

export interface GroupBurst {
  groups: Array<{ groupId: string; members: SimUser[] }>;
  /** Messages in LINE's order, round-robin over the groups. */
  events: WebhookEvent[];
  textsOf: Map<string, string[]>;
}

/** Members 0-19, group g holding every member whose index modulo 3 is g, plus member 0 in every group (a rep in all three). */
export function buildGroupBurst(line: LineEmulator): { members: SimUser[]; groups: Array<{ groupId: string; members: SimUser[] }> } {
  const members = Array.from({ length: MEMBERS }, (_, i) => line.createUser({ displayName: `Member ${i}` }));
  const groups = Array.from({ length: GROUPS }, (_, g) => {
    const inGroup = members.filter((_, i) => i === 0 || i % GROUPS === g);
    const group = line.createGroup({ groupName: `Customer ${g}`, memberUserIds: inGroup.map((m) => m.userId) });
    return { groupId: group.groupId, members: inGroup };
  });
  return { members, groups };
}

/** The messages of the burst (building them is LINE's side of the members writing). */
export function groupBurstEvents(line: LineEmulator, channelId: string, groups: Array<{ groupId: string; members: SimUser[] }>): GroupBurst {
  const events: WebhookEvent[] = [];
  const textsOf = new Map<string, string[]>(groups.map((g) => [g.groupId, []]));
  for (let i = 0; i < MESSAGES; i++) {
    const group = groups[i % GROUPS];
    const member = group.members[Math.floor(i / GROUPS) % group.members.length];
    const text = `message ${i} from ${member.displayName}`;
    events.push(line.events.text(channelId, member.userId, text, { groupId: group.groupId }));
    textsOf.get(group.groupId)!.push(text);
  }
  return { groups, events, textsOf };
}

/** Delivers the burst in bodies of `bodySize`, `inFlight` bodies at a time; returns the bodies that got no 200. */
export async function deliverGroupBurst(line: LineEmulator, channelId: string, burst: GroupBurst, bodySize = 20, inFlight = 3): Promise<WebhookEvent[][]> {
  const bodies: WebhookEvent[][] = [];
  for (let i = 0; i < burst.events.length; i += bodySize) bodies.push(burst.events.slice(i, i + bodySize));
  const failed: WebhookEvent[][] = [];
  for (let i = 0; i < bodies.length; i += inFlight) {
    const wave = bodies.slice(i, i + inFlight);
    const answers = await Promise.all(wave.map((b) => line.deliver(channelId, b)));
    answers.forEach((a, j) => a.status !== 200 && failed.push(wave[j]));
  }
  return failed;
}

const associated = (portal: Portal, fromType: string, toType: string, toId: string) =>
  portal.associations().filter((a) => a.fromType === fromType && a.toType === toType && a.toId === toId).map((a) => a.fromId);

export async function expectGroupBurstComplete(o: { db: Knex; portal: Portal; burst: GroupBurst; accountId: number }): Promise<void> {
  const stored = await o.db('group_messages').where({ line_account_id: o.accountId, direction: 'inbound' }).pluck('line_message_id');
  expect(stored).toHaveLength(MESSAGES);
  expect(new Set(stored).size).toBe(MESSAGES);
  for (const group of o.burst.groups) {
    const companies = o.portal.companies().filter((c) => c.properties.line_group_id === group.groupId);
    expect(companies, group.groupId).toHaveLength(1);
    const company = companies[0];
    const texts = o.burst.textsOf.get(group.groupId)!;
    expect(company.properties).toMatchObject({ line_group_unanswered: 'true', line_group_unanswered_message: texts.at(-1) });
    const contactIds = group.members.map((m) => {
      const contacts = o.portal.contacts().filter((c) => c.properties.line_user_id === m.userId);
      expect(contacts, m.userId).toHaveLength(1);
      return contacts[0].id;
    });
    const companyContacts = o.portal.associations().filter((a) => a.fromType === 'companies' && a.fromId === company.id && a.toType === 'contacts').map((a) => a.toId);
    expect(new Set(companyContacts)).toEqual(new Set(contactIds));
    const noteIds = new Set(associated(o.portal, 'notes', 'companies', company.id));
    const notes = o.portal.notes().filter((n) => noteIds.has(n.id));
    expect(notes, `notes of ${group.groupId}`).toHaveLength(1);
    for (const text of texts) expect(notes[0].properties.hs_note_body.split(`: ${text}</p>`).length - 1, text).toBe(1);
    const taskIds = new Set(associated(o.portal, 'tasks', 'companies', company.id));
    expect(o.portal.tasks().filter((t) => taskIds.has(t.id)), `tasks of ${group.groupId}`).toHaveLength(1);
  }
}
