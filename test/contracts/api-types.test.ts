// The UI folders (src/app/settings, src/app/cards) declare the backend's response shapes again, because
// HubSpot builds each of them alone and forbids imports from outside them. This file is the guard:
// - at compile time (tsc --noEmit, part of `npm test`), each UI copy must equal its backend type exactly;
//   a field renamed, dropped, added or retyped on either side fails the type check (`.branded` compares
//   the resolved shapes deeply, so the backend's `LoginUrls & {...}` equals the UI's flat object);
// - at run time, real answers of the backend carry exactly the keys the UI copies declare, so nothing the
//   types do not see (a spread row, a parsed JSON column) reaches the UI unannounced.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { FailedJobGroup } from '../../backend/src/accounts/account-jobs.ts';
import type { AccountHealthView, AccountView } from '../../backend/src/accounts/account-view.ts';
import type { AccountWithHealth as BackendAccountWithHealth } from '../../backend/src/accounts/account-list.ts';
import type { OperationView } from '../../backend/src/accounts/operation-view.ts';
import type { TimelineMode as BackendTimelineMode } from '../../backend/src/accounts/repository.ts';
import type { LoginChannelCheck } from '../../backend/src/accounts/verify-login-channel.ts';
import type { WebhookTestOutcome as BackendWebhookTestOutcome } from '../../backend/src/accounts/webhook-setup.ts';
import type { AccountStatus as BackendAccountStatus, ContactLineStatus as BackendContactLineStatus } from '../../backend/src/chat/contact-status.ts';
import type { FollowStatus as BackendFollowStatus } from '../../backend/src/chat/conversation.ts';
import type {
  HistoryPage as BackendHistoryPage,
  MessageContent as BackendMessageContent,
  MessageStatus as BackendMessageStatus,
  MessageView,
  UpdatesAnswer as BackendUpdatesAnswer,
} from '../../backend/src/chat/message-view.ts';
import type { AdminRolesView } from '../../backend/src/install/admin-roles-routes.ts';
import type { MessageTemplate as BackendMessageTemplate } from '../../backend/src/templates/repository.ts';
import type * as Card from '../../src/app/cards/api/types.ts';
import type * as Group from '../../src/app/cards/group/types.ts';
import type * as GroupStatus from '../../backend/src/group-chat/group-status.ts';
import type * as GroupView from '../../backend/src/group-chat/group-message-view.ts';
import type * as Settings from '../../src/app/settings/types.ts';
import { startChatWorld, type ChatWorld } from '../support/chat-world.ts';

describe('settings page types match the backend /api/accounts, /api/portal/admin-roles and /api/templates answers', () => {
  it('has the same account, health, webhook outcome, timeline mode, admin roles and message template shapes', () => {
    expectTypeOf<Settings.Account>().branded.toEqualTypeOf<AccountView>();
    expectTypeOf<Settings.AccountHealth>().branded.toEqualTypeOf<AccountHealthView>();
    expectTypeOf<Settings.FailedJobGroup>().branded.toEqualTypeOf<FailedJobGroup>();
    expectTypeOf<Settings.AccountWithHealth>().branded.toEqualTypeOf<BackendAccountWithHealth>();
    expectTypeOf<Settings.WebhookTestOutcome>().branded.toEqualTypeOf<BackendWebhookTestOutcome>();
    expectTypeOf<Settings.TimelineMode>().branded.toEqualTypeOf<BackendTimelineMode>();
    expectTypeOf<Settings.AdminRoles>().branded.toEqualTypeOf<AdminRolesView>();
    expectTypeOf<Settings.MessageTemplate>().branded.toEqualTypeOf<BackendMessageTemplate>();
    expectTypeOf<Settings.Operation>().branded.toEqualTypeOf<OperationView>();
    expectTypeOf<Settings.LoginChannelCheck>().branded.toEqualTypeOf<LoginChannelCheck>();
  });
});

describe('card types match the backend chat API answers', () => {
  it('has the same contact status, message, page and message template shapes', () => {
    expectTypeOf<Card.FollowStatus>().branded.toEqualTypeOf<BackendFollowStatus>();
    expectTypeOf<Card.AccountStatus>().branded.toEqualTypeOf<BackendAccountStatus>();
    expectTypeOf<Card.ContactLineStatus>().branded.toEqualTypeOf<BackendContactLineStatus>();
    expectTypeOf<Card.MessageStatus>().branded.toEqualTypeOf<BackendMessageStatus>();
    expectTypeOf<Card.MessageContent>().branded.toEqualTypeOf<BackendMessageContent>();
    expectTypeOf<Card.ChatMessage>().branded.toEqualTypeOf<MessageView>();
    expectTypeOf<Card.HistoryPage>().branded.toEqualTypeOf<BackendHistoryPage>();
    expectTypeOf<Card.UpdatesAnswer>().branded.toEqualTypeOf<BackendUpdatesAnswer>();
    expectTypeOf<Card.MessageTemplate>().branded.toEqualTypeOf<BackendMessageTemplate>();
  });
});

describe('company card types match the backend group chat API answers', () => {
  it('has the same company status, group, group message, page and updates shapes', () => {
    expectTypeOf<Group.CompanyLineStatus>().branded.toEqualTypeOf<GroupStatus.CompanyLineStatus>();
    expectTypeOf<Group.GroupAccountStatus>().branded.toEqualTypeOf<GroupStatus.GroupAccountStatus>();
    expectTypeOf<Group.GroupSummary>().branded.toEqualTypeOf<GroupStatus.GroupSummary>();
    expectTypeOf<Group.LinkedGroup>().branded.toEqualTypeOf<GroupStatus.LinkedGroup>();
    expectTypeOf<Group.GroupChatMessage>().branded.toEqualTypeOf<GroupView.GroupMessageView>();
    expectTypeOf<Group.GroupHistoryPage>().branded.toEqualTypeOf<GroupView.GroupHistoryPage>();
    expectTypeOf<Group.GroupUpdatesAnswer>().branded.toEqualTypeOf<GroupView.GroupUpdatesAnswer>();
  });
});

/** The keys of T, each named once: the literal stops compiling when T gains, loses or renames a key. */
const keysOf = <T>(keys: Record<keyof T, true>) => Object.keys(keys).sort();
const keysIn = (value: unknown) => Object.keys(value as object).sort();

describe('real backend answers carry exactly the keys of the UI copies', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await startChatWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('GET /api/accounts', async () => {
    const res = await world.api('/api/accounts');
    expect(res.status).toBe(200);
    const [account] = res.body.accounts;
    expect(keysIn(account)).toEqual(
      keysOf<Settings.AccountWithHealth>({
        id: true, sequence: true, userIdProperty: true, channelId: true, botUserId: true, basicId: true, displayName: true,
        pictureUrl: true, channelSecretSet: true, channelAccessTokenSet: true, webhook: true, lastEventAt: true, login: true,
        options: true, createdAt: true, updatedAt: true, health: true,
      }),
    );
    expect(keysIn(account.login)).toEqual(
      keysOf<Settings.Account['login']>({
        loginUrl: true, callbackUrl: true, liffEndpointUrl: true, samplePageUrl: true, qrCodeUrl: true, qrCodeSvgUrl: true, sharedUrl: true,
        channelId: true, channelSecretSet: true, liffId: true, redirectUrl: true, requireEmail: true,
      }),
    );
    expect(keysIn(account.health)).toEqual(keysOf<Settings.AccountHealth>({ tokenValid: true, tokenError: true, quota: true, checkedAt: true, failedJobs: true, paused: true }));
    expect(keysIn(account.health.failedJobs)).toEqual(keysOf<Settings.AccountHealth['failedJobs']>({ count: true, groups: true, retryBlockedBy: true }));
  });

  it('POST /api/accounts/health-checks', async () => {
    const res = await world.api('/api/accounts/health-checks', { method: 'POST', body: {} });
    expect(res.status).toBe(202);
    expect(keysIn(res.body.operation)).toEqual(
      keysOf<Settings.Operation>({ id: true, kind: true, state: true, step: true, progress: true, accountId: true, error: true, startedAt: true, updatedAt: true }),
    );
  });

  it('GET /api/portal/admin-roles', async () => {
    world.hubspot.portal(world.portalId).addRole({ name: 'LINE managers' });
    const res = await world.api('/api/portal/admin-roles');
    expect(res.status).toBe(200);
    expect(keysIn(res.body)).toEqual(keysOf<Settings.AdminRoles>({ roles: true, canEdit: true }));
    expect(keysIn(res.body.roles[0])).toEqual(keysOf<Settings.AdminRoles['roles'][number]>({ id: true, name: true, allowed: true }));
  });

  it('GET /api/templates', async () => {
    expect((await world.api('/api/templates', { body: { name: 'Hello', messages: [{ type: 'text', text: 'Hello!' }] } })).status).toBe(201);
    const res = await world.api('/api/templates');
    expect(res.status).toBe(200);
    expect(keysIn(res.body.templates[0])).toEqual(keysOf<Card.MessageTemplate>({ id: true, name: true, messages: true, updatedAt: true }));
    expect(keysIn(res.body.templates[0])).toEqual(keysOf<Settings.MessageTemplate>({ id: true, name: true, messages: true, updatedAt: true }));
  });

  it('GET /api/contacts/:contactId/line and .../messages', async () => {
    const user = await world.linkUser();
    await world.insertMessage(user, { direction: 'inbound', text: 'hello' });
    const status = await world.api(`/api/contacts/${user.contactId}/line`);
    expect(status.status).toBe(200);
    expect(keysIn(status.body)).toEqual(keysOf<Card.ContactLineStatus>({ contactId: true, accounts: true, nextPollMs: true }));
    const [accountStatus] = status.body.accounts;
    expect(keysIn(accountStatus)).toEqual(keysOf<Card.AccountStatus>({ account: true, link: true, linking: true, unanswered: true, lastMessageAt: true, undelivered: true }));
    expect(keysIn(accountStatus.link)).toEqual(
      keysOf<NonNullable<Card.AccountStatus['link']>>({ lineUserId: true, displayName: true, pictureUrl: true, followStatus: true, friendAddedAt: true, linkedAt: true }),
    );

    const history = await world.api(`/api/contacts/${user.contactId}/messages?accountId=${world.account.id}`);
    expect(history.status).toBe(200);
    expect(keysIn(history.body)).toEqual(keysOf<Card.HistoryPage>({ messages: true, hasMore: true, cursor: true }));
    expect(keysIn(history.body.messages[0])).toEqual(
      keysOf<Card.ChatMessage>({
        id: true, direction: true, status: true, content: true, error: true, canRetry: true, sender: true, createdAt: true,
        updatedAt: true, sentAt: true, readAt: true,
      }),
    );
  });
});
