// Chat benchmarks (issue 7). Budgets (DESIGN.md): an inbound message reaches an open chat panel within
// 2 s; a send adds at most 50 ms before the LINE call.
// - inbound → panel: a LINE user writes (signed webhook from the LINE emulator → inbound feature → messages
//   row) while a long-poll GET .../messages/updates waits; measured from the webhook POST to the answer.
// - send overhead: from the moment POST .../messages is sent to the moment the LINE emulator receives the
//   push, minus the baseline of the same push made directly with @line/bot-sdk and minus the transport
//   of a signed request to the backend (half the round trip of GET /api/templates).
import { fileURLToPath } from 'node:url';
import { messagingApi } from '@line/bot-sdk';
import { provisionPortalProperties } from '../backend/src/accounts/provision-properties-job.ts';
import { DEFAULT_TIMINGS } from '../backend/src/timings.ts';
import { startChatWorld } from '../test/support/chat-world.ts';
import { percentile } from './lib/load.ts';

const ROUNDS = 20;

const percentileOf = (values: number[], p: number) => percentile([...values].sort((a, b) => a - b), p);

async function waitFor<T>(read: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('benchmark: gave up waiting');
}

export async function runChatBench(): Promise<Record<string, number>> {
  // Production timings: the budgets are about the backend as deployed, HubSpot rate limits included.
  const world = await startChatWorld({ env: { LOG_LEVEL: 'warn' }, timings: DEFAULT_TIMINGS });
  try {
    await provisionPortalProperties(world.backend.ctx, world.portalId);
    const channelId = world.account.channel.channelId;
    const user = world.line.createUser();
    await world.line.follow(channelId, user.userId);
    const contactId = await waitFor(async () => {
      const link = await world.backend.ctx.db('line_links').where({ line_user_id: user.userId }).whereNotNull('contact_id').first();
      return link ? Number(link.contact_id) : undefined;
    });
    const accountId = world.account.id;
    const base = `/api/contacts/${contactId}/messages`;

    const inboundLatencies: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const history = await world.api(`${base}?accountId=${accountId}&limit=1`);
      const { after, since } = history.body.cursor;
      const answered = world.api(`${base}/updates?accountId=${accountId}&after=${after}&since=${since}&waitMs=10000`).then(() => performance.now());
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 250)); // the message lands at a random point of the poll cycle
      const sentAt = performance.now();
      await world.line.sendText(channelId, user.userId, `bench ${i}`);
      inboundLatencies.push((await answered) - sentAt);
    }

    const sdk = new messagingApi.MessagingApiClient({ channelAccessToken: world.account.channel.accessToken, baseURL: world.line.baseUrl });
    // The backend answers with reply while the user's reply token is fresh, push afterwards: both are the LINE call.
    const arrivals = () => world.line.requests.filter((r) => r.path === '/v2/bot/message/push' || r.path === '/v2/bot/message/reply');
    const direct: number[] = [];
    const viaBackend: number[] = [];
    const transport: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let before = arrivals().length;
      let started = Date.now();
      await sdk.pushMessage({ to: user.userId, messages: [{ type: 'text', text: `baseline ${i}` }] }, crypto.randomUUID());
      direct.push(arrivals()[before].at - started);

      started = Date.now();
      await world.api('/api/templates');
      transport.push((Date.now() - started) / 2);

      before = arrivals().length;
      started = Date.now();
      const res = await world.api(base, { body: { accountId, clientMessageId: crypto.randomUUID(), text: `send ${i}` } });
      if (res.status !== 201 || res.body.message.status !== 'sent') throw new Error(`benchmark send failed: ${JSON.stringify(res.body)}`);
      viaBackend.push(arrivals()[before].at - started);
    }
    const median = (v: number[]) => percentileOf(v, 50);
    return {
      'chat.inbound_to_panel_p50_ms': median(inboundLatencies),
      'chat.inbound_to_panel_p95_ms': percentileOf(inboundLatencies, 95),
      'chat.send_to_line_p50_ms': median(viaBackend),
      'chat.direct_push_p50_ms': median(direct),
      'chat.signed_request_one_way_p50_ms': median(transport),
      'chat.send_overhead_ms': Math.max(0, median(viaBackend) - median(direct) - median(transport)),
    };
  } finally {
    await world.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await runChatBench());
}
