// Reading connected LINE accounts, with their secrets opened. Every lookup by id is scoped by portal.
import type { AppContext } from '../context.ts';

export type TimelineMode = 'app_events' | 'notes' | 'off';

export interface LineAccount {
  id: number;
  portalId: number;
  sequence: number;
  channelId: string;
  botUserId: string;
  basicId: string | null;
  displayName: string;
  pictureUrl: string | null;
  channelSecret: string;
  channelAccessToken: string;
  webhookKey: string;
  webhookVerifiedAt: number | null;
  webhookTestResult: string | null;
  lastEventAt: number | null;
  loginKey: string;
  loginChannelId: string | null;
  loginChannelSecret: string | null;
  liffId: string | null;
  loginRedirectUrl: string | null;
  loginRequireEmail: boolean;
  autoCreateContacts: boolean;
  ownerTasks: boolean;
  timelineMode: TimelineMode;
  createdAt: number;
  updatedAt: number;
}

/** Associated data binding a sealed secret to its account and field, so a ciphertext cannot be moved. */
export function secretContext(channelId: string, field: 'channel_secret' | 'channel_access_token' | 'login_channel_secret'): string {
  return `line_accounts:${channelId}:${field}`;
}

type Row = Record<string, unknown>;

export function accountFromRow(ctx: AppContext, row: Row): LineAccount {
  const channelId = String(row.channel_id);
  const open = (field: 'channel_secret' | 'channel_access_token' | 'login_channel_secret') =>
    row[field] ? ctx.secrets.open(String(row[field]), secretContext(channelId, field)) : null;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(row.id),
    portalId: Number(row.portal_id),
    sequence: Number(row.sequence),
    channelId,
    botUserId: String(row.bot_user_id),
    basicId: (row.basic_id as string | null) ?? null,
    displayName: String(row.display_name),
    pictureUrl: (row.picture_url as string | null) ?? null,
    channelSecret: open('channel_secret')!,
    channelAccessToken: open('channel_access_token')!,
    webhookKey: String(row.webhook_key),
    webhookVerifiedAt: num(row.webhook_verified_at),
    webhookTestResult: (row.webhook_test_result as string | null) ?? null,
    lastEventAt: num(row.last_event_at),
    loginKey: String(row.login_key),
    loginChannelId: (row.login_channel_id as string | null) ?? null,
    loginChannelSecret: open('login_channel_secret'),
    liffId: (row.liff_id as string | null) ?? null,
    loginRedirectUrl: (row.login_redirect_url as string | null) ?? null,
    loginRequireEmail: Boolean(row.login_require_email),
    autoCreateContacts: Boolean(row.auto_create_contacts),
    ownerTasks: Boolean(row.owner_tasks),
    timelineMode: String(row.timeline_mode) as TimelineMode,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function findAccountByWebhookKey(ctx: AppContext, webhookKey: string): Promise<LineAccount | undefined> {
  const row = await ctx.db('line_accounts').where({ webhook_key: webhookKey }).first();
  return row ? accountFromRow(ctx, row) : undefined;
}

export async function findAccountByLoginKey(ctx: AppContext, loginKey: string): Promise<LineAccount | undefined> {
  const row = await ctx.db('line_accounts').where({ login_key: loginKey }).first();
  return row ? accountFromRow(ctx, row) : undefined;
}

export async function findAccount(ctx: AppContext, portalId: number, accountId: number): Promise<LineAccount | undefined> {
  const row = await ctx.db('line_accounts').where({ portal_id: portalId, id: accountId }).first();
  return row ? accountFromRow(ctx, row) : undefined;
}

export async function listAccounts(ctx: AppContext, portalId: number): Promise<LineAccount[]> {
  const rows = await ctx.db('line_accounts').where({ portal_id: portalId }).orderBy('sequence');
  return rows.map((r: Row) => accountFromRow(ctx, r));
}
