// `npm run bench`: runs every benchmark, one after another, and prints each figure with its budget.
// Figures are ratios to a baseline measured in the same run where one exists, since absolute times
// on shared machines drift; the budgets of DESIGN.md are shown beside them.
import { runChatBench } from './chat.ts';
import { runChatPanelsBench } from './chat-panels.ts';
import { runIngestBench } from './ingest.ts';
import { runWorkflowBench } from './workflow.ts';

interface Budget {
  limit: number;
  kind: 'min' | 'max';
}

const budgets: Record<string, Budget> = {
  'ingest.events_per_s': { limit: 1000, kind: 'min' },
  'ingest.events_per_s_20_per_delivery': { limit: 1000, kind: 'min' },
  'ingest.ack_p99_ms_at_500rps': { limit: 25, kind: 'max' },
  'ingest.failures': { limit: 0, kind: 'max' },
  'ingest.peak_rss_mb': { limit: 250, kind: 'max' },
  'chat.inbound_to_panel_p95_ms': { limit: 2000, kind: 'max' },
  'chat.send_overhead_ms': { limit: 50, kind: 'max' },
  'chat.panels50_inbound_p95_ms': { limit: 2000, kind: 'max' },
  'chat.panels50_missing': { limit: 0, kind: 'max' },
  'chat.panels50_fetch_429': { limit: 0, kind: 'max' },
  'workflow.executions_per_s': { limit: 300, kind: 'min' },
  'workflow.answer_p95_ms': { limit: 200, kind: 'max' },
  'workflow.failures': { limit: 0, kind: 'max' },
  'workflow.line_requests_per_1000': { limit: 3, kind: 'max' },
  'workflow.pg.executions_per_s': { limit: 300, kind: 'min' },
  'workflow.pg.answer_p95_ms': { limit: 200, kind: 'max' },
  'workflow.pg.failures': { limit: 0, kind: 'max' },
  'workflow.pg.line_requests_per_1000': { limit: 3, kind: 'max' },
};

const benches: Array<[string, () => Promise<Record<string, number>>]> = [
  ['webhook ingest', runIngestBench],
  ['chat panel', runChatBench],
  ['50 chat panels in one portal', runChatPanelsBench],
  ['workflow action', runWorkflowBench],
];

const results: Record<string, number> = {};
let overBudget = 0;
for (const [name, run] of benches) {
  console.log(`\n== ${name}`);
  const figures = await run();
  for (const [key, value] of Object.entries(figures)) {
    results[key] = value;
    const budget = budgets[key];
    const within = !budget || (budget.kind === 'min' ? value >= budget.limit : value <= budget.limit);
    if (!within) overBudget++;
    const shown = Number.isInteger(value) ? String(value) : value.toFixed(2);
    const note = budget ? `${budget.kind === 'min' ? '>=' : '<='} ${budget.limit} ${within ? 'ok' : 'OVER BUDGET'}` : '';
    console.log(`  ${key.padEnd(42)} ${shown.padStart(10)}  ${note}`);
  }
}
console.log(`\n${JSON.stringify(results)}`);
process.exit(overBudget ? 1 : 0);
