// Many open chat panels in one portal (issue 13): 50 agents each have a contact's chat open while its LINE
// user writes. Every panel asks for updates the way the card does (useConversation: the backend holds a
// few requests per portal, answers the rest at once with the wait before the next question), through the
// HubSpot emulator's hubspot.fetch, which answers 429 beyond 20 requests in flight per app and portal.
// Budgets: a new inbound message appears in its panel within 2 s (p95), and hubspot.fetch never says 429.
import { fileURLToPath } from 'node:url';
import { provisionPortalProperties } from '../backend/src/accounts/provision-properties-job.ts';
import { DEFAULT_TIMINGS } from '../backend/src/timings.ts';
import { startChatWorld, type LinkedUser } from '../test/support/chat-world.ts';
import { percentile } from './lib/load.ts';

const PANELS = 50;
const ROUNDS = 2;
/** Each round, every LINE user writes once at a random moment of this window. */
const ROUND_MS = 10_000;
/** Agents open their panels at random moments of this window. */
const OPENING_MS = 5_000;
/** What the card does after an empty answer the backend did not hold. */
const MIN_EMPTY_POLL_MS = 2_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface UpdatesBody {
  messages: Array<{ content: { text?: string } }>;
  cursor: { after: number; since: number };
  nextPollMs: number;
}

export async function runChatPanelsBench(): Promise<Record<string, number>> {
  const world = await startChatWorld({ env: { LOG_LEVEL: 'warn' }, timings: DEFAULT_TIMINGS });
  let open = true;
  try {
    await provisionPortalProperties(world.backend.ctx, world.portalId);
    const channelId = world.account.channel.channelId;
    const users: LinkedUser[] = [];
    const portal = world.hubspot.portal(world.portalId);
    for (let i = 0; i < PANELS; i++) users.push(await world.linkUser({ contactId: Number(portal.createObject('contacts', { firstname: `Panel ${i}` }).id) }));
    // Linking queues the contacts' property writes: let them finish, as they would long before agents open panels.
    while (Number((await world.backend.ctx.db('jobs').whereIn('state', ['queued', 'running']).count({ n: '*' }).first())?.n) > 0) await sleep(100);
    const seenAt = new Map<string, number>();
    let failures = 0;
    /** How long the updates requests the backend did not hold took: they should be answered at once. */
    const unheld: number[] = [];

    async function panel(user: LinkedUser) {
      const base = `${world.backend.url}/api/contacts/${user.contactId}/messages`;
      await sleep(Math.random() * OPENING_MS); // agents open their panels at different moments
      const first = await world.hubspot.hubspotFetch(`${base}?accountId=${world.account.id}&limit=1`, { portalId: world.portalId });
      let { after, since } = first.status === 200 ? ((await first.json()) as UpdatesBody).cursor : { after: 0, since: Date.now() };
      while (open) {
        const asked = Date.now();
        const res = await world.hubspot.hubspotFetch(`${base}/updates?accountId=${world.account.id}&after=${after}&since=${since}&waitMs=10000`, { portalId: world.portalId });
        if (res.status !== 200) {
          failures++;
          await res.arrayBuffer();
          await sleep(MIN_EMPTY_POLL_MS);
          continue;
        }
        const answer = (await res.json()) as UpdatesBody;
        const now = Date.now();
        if (answer.nextPollMs > 0) unheld.push(now - asked);
        for (const m of answer.messages) if (m.content.text && !seenAt.has(m.content.text)) seenAt.set(m.content.text, now);
        ({ after, since } = answer.cursor);
        const waitMs = answer.nextPollMs > 0 ? answer.nextPollMs : answer.messages.length === 0 ? MIN_EMPTY_POLL_MS : 0;
        if (now - asked < waitMs) await sleep(waitMs - (now - asked));
      }
    }

    const panels = users.map((user) => panel(user));
    await sleep(OPENING_MS + 2 * MIN_EMPTY_POLL_MS); // every panel open and in its rhythm

    const sentAt = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        users.map(async (user, i) => {
          await sleep(Math.random() * ROUND_MS);
          const text = `round ${round} user ${i}`;
          sentAt.set(text, Date.now());
          await world.line.sendText(channelId, user.lineUserId, text);
        }),
      );
    }
    const deadline = Date.now() + 30_000;
    while (seenAt.size < sentAt.size && Date.now() < deadline) await sleep(100);
    open = false;
    await Promise.all(panels);

    const rows: Array<{ text: string; updated_at: number }> = await world.backend.ctx.db('messages').where({ direction: 'inbound' }).select('text', 'updated_at');
    const storedAt = new Map(rows.map((r) => [r.text, Number(r.updated_at)]));
    const texts = [...sentAt.keys()];
    // The whole latency and its two legs: the inbound pipeline (webhook to stored row) and the panel's (row to panel).
    const legs = {
      inbound: texts.map((t) => (seenAt.get(t) ?? deadline) - sentAt.get(t)!),
      stored: texts.map((t) => (storedAt.get(t) ?? deadline) - sentAt.get(t)!),
      stored_to_panel: texts.map((t) => (seenAt.get(t) ?? deadline) - (storedAt.get(t) ?? deadline)),
    };
    const figures: Record<string, number> = {};
    for (const [leg, values] of Object.entries(legs)) {
      values.sort((a, b) => a - b);
      Object.assign(figures, {
        [`chat.panels50_${leg}_p50_ms`]: percentile(values, 50),
        [`chat.panels50_${leg}_p95_ms`]: percentile(values, 95),
        [`chat.panels50_${leg}_max_ms`]: values[values.length - 1],
      });
    }
    return {
      ...figures,
      'chat.panels50_missing': sentAt.size - seenAt.size,
      'chat.panels50_fetch_429': world.hubspot.fetches.filter((f) => f.status === 429).length,
      'chat.panels50_fetch_in_flight_peak': world.hubspot.fetchPeakInFlight(world.portalId),
      'chat.panels50_fetch_failures': failures,
      'chat.panels50_unheld_answer_p95_ms': percentile(unheld.sort((a, b) => a - b), 95),
    };
  } finally {
    open = false;
    await world.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await runChatPanelsBench());
}
