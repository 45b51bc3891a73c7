// Whether the account was removed from a group, asked of LINE after it refused a push there. LINE answers a
// push to a group the account is no longer in with a bare 400 "Failed to send messages", as for any
// destination it cannot send to; the group's summary then answers 404. Only that 404 means "removed": any
// other answer, or none, leaves the refused push an ordinary failure the agent may retry.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { LineApiError, lineChannel } from '../line/line-channel.ts';

export async function accountLeftGroup(ctx: AppContext, account: LineAccount, groupId: string): Promise<boolean> {
  const line = lineChannel(ctx.config, account.channelAccessToken);
  try {
    await line.call('group.summary', (c) => c.messaging.getGroupSummary(groupId), { timeoutMs: ctx.config.timings.line.quickCallTimeoutMs });
    return false;
  } catch (error) {
    if (error instanceof LineApiError && error.isNotFound) return true;
    ctx.logger.warn({ accountId: account.id, reason: error instanceof Error ? error.message : String(error) }, 'could not ask LINE whether the account is still in the group');
    return false;
  }
}
