// The accounts behind webhook keys, kept in memory for a few seconds: every delivery needs the
// account's channel secret, and reading and opening it per request would cost more than the delivery.
// A signature that fails with a cached secret is checked again against a fresh read (the secret may
// have been replaced), and the store re-checks in its transaction that the account still exists.
import type { AppContext } from '../context.ts';
import { findAccountByWebhookKey, type LineAccount } from '../accounts/repository.ts';

const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

export class WebhookAccountCache {
  private readonly ctx: AppContext;
  private readonly entries = new Map<string, { account: LineAccount | undefined; until: number }>();

  constructor(ctx: AppContext) {
    this.ctx = ctx;
  }

  async get(webhookKey: string, options: { fresh?: boolean } = {}): Promise<LineAccount | undefined> {
    const now = Date.now();
    const cached = this.entries.get(webhookKey);
    if (cached && cached.until > now && !options.fresh) return cached.account;
    const account = await findAccountByWebhookKey(this.ctx, webhookKey);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    // Unknown keys are cached too (briefly), so probing random URLs does not reach the database each time.
    this.entries.set(webhookKey, { account, until: now + TTL_MS });
    return account;
  }
}
