// Points a channel's webhook at this backend and asks LINE to test it. LINE's test POSTs an empty
// events array, signed with the channel secret, to our /line/webhook/:webhookKey and reports our answer.
// A failure here never blocks saving the account: the page shows the outcome and the URL to paste by hand.
import type { Config } from '../config.ts';
import { lineChannel } from '../line/line-channel.ts';
import { lineErrorMessage } from './line-errors.ts';

export interface WebhookTestOutcome {
  success: boolean;
  /** Status our endpoint answered to LINE's test (0: LINE could not connect, or the test could not run). */
  statusCode: number;
  reason: string;
  detail: string;
  testedAt: number;
}

/** `testing` runs between the two calls: the operation's progress moves on to LINE's test. */
export async function setAndTestWebhook(config: Config, accessToken: string, endpoint: string, testing: () => Promise<void>, now = Date.now): Promise<WebhookTestOutcome> {
  try {
    await lineChannel(config, accessToken).call('set webhook endpoint', (c) => c.messaging.setWebhookEndpoint({ endpoint }), { timeoutMs: config.timings.line.webhookTestTimeoutMs });
  } catch (error) {
    return { success: false, statusCode: 0, reason: 'webhook URL not set', detail: lineErrorMessage(error), testedAt: now() };
  }
  await testing();
  return testWebhook(config, accessToken, now);
}

/** The longest a webhook set-up and test can take: both LINE calls run to their deadline. */
export function webhookSetupBudgetMs(config: Config): number {
  return 2 * config.timings.line.webhookTestTimeoutMs;
}

async function testWebhook(config: Config, accessToken: string, now = Date.now): Promise<WebhookTestOutcome> {
  try {
    const result = await lineChannel(config, accessToken).call('webhook test', (c) => c.messaging.testWebhookEndpoint({}), { timeoutMs: config.timings.line.webhookTestTimeoutMs });
    return {
      success: result.success === true,
      statusCode: Number(result.statusCode ?? 0),
      reason: String(result.reason ?? ''),
      detail: String(result.detail ?? ''),
      testedAt: now(),
    };
  } catch (error) {
    return { success: false, statusCode: 0, reason: 'webhook test not run', detail: lineErrorMessage(error), testedAt: now() };
  }
}

export function parseWebhookOutcome(stored: string | null): WebhookTestOutcome | null {
  if (!stored) return null;
  try {
    return JSON.parse(stored) as WebhookTestOutcome;
  } catch {
    return null;
  }
}
