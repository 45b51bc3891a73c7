// The line_message_verdicts table: LINE's verdict on a set of message objects, by the SHA-256 of their
// JSON, per portal. Only this file touches it.
import { createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { LineMessage } from '../line/line-channel.ts';
import type { Verdict } from './line-send.ts';

export const contentHashOf = (messages: LineMessage[]) => createHash('sha256').update(JSON.stringify(messages)).digest('hex');

export async function findVerdict(ctx: AppContext, portalId: number, contentHash: string): Promise<Verdict | undefined> {
  const row = await ctx.db('line_message_verdicts').where({ portal_id: portalId, content_hash: contentHash }).first();
  if (!row) return undefined;
  return row.valid === true || row.valid === 1 ? { valid: true } : { valid: false, problem: String(row.problem) };
}

export async function saveVerdict(ctx: AppContext, portalId: number, contentHash: string, verdict: Verdict, now: number): Promise<void> {
  await ctx.db('line_message_verdicts')
    .insert({ portal_id: portalId, content_hash: contentHash, valid: verdict.valid, problem: verdict.valid ? null : verdict.problem, checked_at: now })
    .onConflict(['portal_id', 'content_hash'])
    .ignore();
}
