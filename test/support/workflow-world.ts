// A world for workflow-action tests: the real backend (workflow timings shortened, nothing else changed)
// between the LINE and HubSpot emulators, an installed portal with a connected LINE account, and LINE
// friends linked to contacts the way production links them: they follow the account, the inbound feature
// creates their contacts. HubSpot then runs executions of the action against the backend.
import { readFileSync } from 'node:fs';
import { features } from '../../backend/src/features.ts';
import { linkGroup } from '../../backend/src/groups/groups.ts';
import { createWorkflowFeature } from '../../backend/src/workflow/feature.ts';
import type { WorkflowTimings } from '../../backend/src/workflow/timings.ts';
import type { WorkflowExecution, WorkflowExecutionInput } from '../emulators/hubspot/index.ts';
import { pendingWork, waitUntil, connectLineAccount } from './inbound-world.ts';
import { installPortal } from './installed-portal.ts';
import { startBackendWithEmulators, type BackendWithEmulators, type ConnectedAccount } from './world.ts';

const requestedBy = (file: string): string[] => JSON.parse(readFileSync(new URL(`../../src/app/workflow-actions/${file}`, import.meta.url), 'utf8')).config.objectRequestOptions.properties;
/** What the action definition asks HubSpot to send of the enrolled contact (objectRequestOptions.properties). */
export const REQUESTED_PROPERTIES = requestedBy('send-line-message-hsmeta.json');
/** The same of the enrolled company, for the company action. */
export const REQUESTED_COMPANY_PROPERTIES = requestedBy('send-line-group-message-hsmeta.json');

export const FAST_TIMINGS: Partial<WorkflowTimings> = { retryBaseMs: 20, retryMaxMs: 200, lineTimeoutMs: 2_000, sendWindowMs: 200 };

export interface Friend {
  lineUserId: string;
  contactId: number;
}

export interface LinkedGroup {
  groupId: string;
  companyId: number;
}

export interface WorkflowWorld extends BackendWithEmulators {
  portalId: number;
  account: ConnectedAccount;
  actionUrl: string;
  optionsUrl: string;
  /** LINE users who became friends of the account, each with the contact the backend created for them. */
  addFriends(count: number, account?: ConnectedAccount): Promise<Friend[]>;
  /** The friends block the account (LINE sends the unfollow webhooks). */
  block(friends: Friend[], account?: ConnectedAccount): Promise<void>;
  execute(contactId: number, inputFields: Record<string, unknown>, o?: Partial<WorkflowExecutionInput>): Promise<WorkflowExecution>;
  groupActionUrl: string;
  /** A LINE group of `members` new users that the account's bot joined (LINE's join webhook), and a new company (linked to the group unless `link` is false). */
  addLinkedGroup(o?: { members?: number; company?: Record<string, string>; link?: boolean }): Promise<LinkedGroup & { memberIds: string[] }>;
  /** An execution of the company action ("Send LINE message to group") in a company workflow. */
  executeForCompany(companyId: number, inputFields: Record<string, unknown>, o?: Partial<WorkflowExecutionInput>): Promise<WorkflowExecution>;
  idle(timeoutMs?: number): Promise<void>;
}

async function deliverInBodies(world: BackendWithEmulators, account: ConnectedAccount, events: object[]): Promise<void> {
  const bodies: object[][] = [];
  for (let i = 0; i < events.length; i += 20) bodies.push(events.slice(i, i + 20));
  for (let i = 0; i < bodies.length; i += 4) {
    const answers = await Promise.all(bodies.slice(i, i + 4).map((b) => world.line.deliver(account.channel.channelId, b)));
    for (const a of answers) if (a.status !== 200) throw new Error(`webhook answered ${a.status}`);
  }
}

export async function startWorkflowWorld(o: { timings?: Partial<WorkflowTimings>; databaseUrl?: string } = {}): Promise<WorkflowWorld> {
  const workflow = createWorkflowFeature({ ...FAST_TIMINGS, ...o.timings });
  const world = await startBackendWithEmulators({
    databaseUrl: o.databaseUrl,
    features: features.map((f) => (f.name === 'workflow' ? workflow : f)),
    stopGraceMs: 1000,
  });
  const installed = await installPortal(world.ctx, world.hubspot);
  const account = await connectLineAccount({ ctx: world.ctx, line: world.line, hubspot: world.hubspot, accessToken: installed.accessToken, portalId: installed.portalId, webhookBaseUrl: world.backend.url });
  const idle = (timeoutMs = 30_000) =>
    waitUntil(async () => (await pendingWork(world.ctx.db)) === 0, 'every job is done', timeoutMs);
  const actionUrl = `${world.backend.url}/hubspot/actions/send-line-message`;
  const groupActionUrl = `${world.backend.url}/hubspot/actions/send-line-group-message`;
  return {
    ...world,
    portalId: installed.portalId,
    account,
    actionUrl,
    optionsUrl: `${actionUrl}/options`,
    async addFriends(count, target = account) {
      const users = Array.from({ length: count }, (_, i) => world.line.createUser({ displayName: `Friend ${i}` }));
      await deliverInBodies(world, target, users.map((u) => world.line.events.follow(target.channel.channelId, u.userId)));
      await idle();
      const links = await world.ctx.db('line_links').where({ line_account_id: target.id }).whereIn('line_user_id', users.map((u) => u.userId)).whereNotNull('contact_id');
      if (links.length !== count) throw new Error(`only ${links.length} of ${count} friends got a contact`);
      return links.map((l) => ({ lineUserId: String(l.line_user_id), contactId: Number(l.contact_id) }));
    },
    async block(friends, target = account) {
      await deliverInBodies(world, target, friends.map((f) => world.line.events.unfollow(target.channel.channelId, f.lineUserId)));
      await idle();
    },
    execute: (contactId, inputFields, extra = {}) =>
      world.hubspot.executeWorkflowAction({ actionUrl, portalId: installed.portalId, object: { objectId: contactId }, objectRequestProperties: REQUESTED_PROPERTIES, inputFields, signatureVersion: 'v2', ...extra }),
    groupActionUrl,
    async addLinkedGroup(o = {}) {
      const members = Array.from({ length: o.members ?? 2 }, (_, i) => world.line.createUser({ displayName: `Member ${i}` }));
      const group = world.line.createGroup({ groupName: 'Customer group', memberUserIds: members.map((m) => m.userId) });
      await world.line.joinGroup(account.channel.channelId, group.groupId);
      await idle();
      const company = world.hubspot.portal(installed.portalId).createObject('companies', { name: 'Customer Co', ...o.company });
      const key = { portalId: installed.portalId, accountId: account.id, groupId: group.groupId };
      if (o.link !== false && (await linkGroup(world.ctx, key, Number(company.id), 'card')) !== 'linked') throw new Error('the group was not linked');
      return { groupId: group.groupId, companyId: Number(company.id), memberIds: members.map((m) => m.userId) };
    },
    executeForCompany: (companyId, inputFields, extra = {}) =>
      world.hubspot.executeWorkflowAction({
        actionUrl: groupActionUrl,
        portalId: installed.portalId,
        object: { objectId: companyId, objectType: 'COMPANY' },
        objectRequestProperties: REQUESTED_COMPANY_PROPERTIES,
        inputFields,
        signatureVersion: 'v2',
        ...extra,
      }),
    idle,
  };
}
