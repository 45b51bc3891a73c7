// Every environment variable the backend reads, parsed and validated in one place.
// Only main.ts (and tests) call loadConfig; everything else receives the parsed Config.
import { z } from 'zod';
import { DEFAULT_TIMINGS, timingsWith, type Timings } from './timings.ts';

const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback).transform((u) => u.replace(/\/+$/, ''));
const optionalText = z.string().trim().min(1).optional().or(z.literal('').transform(() => undefined));

const base64Key = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded as base64 (openssl rand -base64 32)');

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z
      .string()
      .default('sqlite:data/line-for-hubspot.sqlite')
      .refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), 'must start with sqlite: or postgres://'),
    DATA_DIR: z.string().default('data'),
    ENCRYPTION_KEY: base64Key.optional(),
    ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
      .pipe(z.array(base64Key)),
    // Unset: no /metrics route. Set: scrapers send it as a bearer token.
    METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ROLE: z.enum(['all', 'web', 'worker']).default('all'),
    // Most running jobs wait on HubSpot or LINE, not on this process: an inbound batch waiting to share its
    // account's HubSpot pass (inbound/shared-passes.ts) holds a slot. With 8 slots, 50 open chats writing at
    // 5 messages/s filled them and new messages waited up to 3 s to be stored; 24 keeps that wait near zero.
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(24),
    WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    // How long a claimed job stays reserved without a sign of life from its worker (the worker renews it
    // every third of this while the job runs): after a crash, the job runs again once this has passed.
    JOB_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    // Open chat panels whose update request this process holds until something changes; beyond them a panel
    // polls. Each held request counts against hubspot.fetch's 20 concurrent requests per app and portal.
    CHAT_HELD_POLLS_PER_PORTAL: z.coerce.number().int().min(0).max(15).default(4),
    CHAT_HELD_POLLS_PER_PROCESS: z.coerce.number().int().min(0).max(10_000).default(200),
    HUBSPOT_CLIENT_ID: optionalText,
    HUBSPOT_CLIENT_SECRET: optionalText,
    HUBSPOT_APP_ID: z.coerce.number().int().positive().optional().or(z.literal('').transform(() => undefined)),
    // Per portal and per process: with several processes calling HubSpot for the same portals, divide the calls.
    HUBSPOT_RATE_LIMIT_CALLS: z.coerce.number().int().min(1).max(1_000).default(DEFAULT_TIMINGS.hubspot.rateLimits.callsPerWindow),
    HUBSPOT_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).max(600_000).default(DEFAULT_TIMINGS.hubspot.rateLimits.windowMs),
    HUBSPOT_API_BASE_URL: url('https://api.hubapi.com'),
    HUBSPOT_APP_BASE_URL: url('https://app.hubspot.com'),
    LINE_API_BASE_URL: url('https://api.line.me'),
    LINE_DATA_API_BASE_URL: url('https://api-data.line.me'),
    LINE_LOGIN_BASE_URL: url('https://access.line.me'),
    // Timeline app event types (uid or fullyQualifiedName of src/app/app-events/*); a portal without them gets notes.
    HUBSPOT_APP_EVENT_RECEIVED: z.string().trim().min(1).max(200).default('line_message_received'),
    HUBSPOT_APP_EVENT_SENT: z.string().trim().min(1).max(200).default('line_message_sent'),
  });

type ParsedEnv = z.infer<typeof configSchema>;

export interface Config extends Omit<ParsedEnv, 'PUBLIC_BASE_URL' | 'HUBSPOT_RATE_LIMIT_CALLS' | 'HUBSPOT_RATE_LIMIT_WINDOW_MS'> {
  /** The HTTPS URL that HubSpot and LINE reach, without a trailing slash. */
  PUBLIC_BASE_URL: string;
  /** Rate limits, deadlines, backoffs and recheck windows (timings.ts); the HubSpot rate limit comes from the environment. */
  timings: Timings;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment; throws one ConfigError listing every invalid value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`);
  // Checked on the raw values too, so one run reports these alongside any parse errors.
  if (env.NODE_ENV === 'production') {
    if (!env.ENCRYPTION_KEY) problems.push('ENCRYPTION_KEY is required when NODE_ENV=production');
    if (!env.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL is required when NODE_ENV=production');
    // HubSpot permits only HTTPS fetch URLs, and LINE delivers webhooks only over HTTPS.
    else if (/^http:/i.test(env.PUBLIC_BASE_URL.trim())) problems.push('PUBLIC_BASE_URL must be an https:// URL when NODE_ENV=production (HubSpot and LINE reach the backend only over HTTPS)');
  }
  if (!result.success || problems.length) throw new ConfigError(problems);
  const { HUBSPOT_RATE_LIMIT_CALLS: callsPerWindow, HUBSPOT_RATE_LIMIT_WINDOW_MS: windowMs, ...parsed } = result.data;
  const publicBaseUrl = (parsed.PUBLIC_BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, '');
  const timings = timingsWith({ hubspot: { rateLimits: { ...DEFAULT_TIMINGS.hubspot.rateLimits, callsPerWindow, windowMs } } });
  return { ...parsed, PUBLIC_BASE_URL: publicBaseUrl, timings };
}

/** What will not work yet because credentials are missing; shown at start-up. */
export function missingIntegrations(config: Config): string[] {
  const missing: string[] = [];
  if (!config.HUBSPOT_CLIENT_ID || !config.HUBSPOT_CLIENT_SECRET) {
    missing.push(
      'HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET are not set: HubSpot install (/oauth/*), signed requests from HubSpot (/api/*, /hubspot/*) and all HubSpot calls are disabled.',
    );
  }
  if (!config.HUBSPOT_APP_ID) {
    missing.push('HUBSPOT_APP_ID is not set: timeline app events cannot be written (notes are used instead).');
  }
  return missing;
}
