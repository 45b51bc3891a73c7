// What an account's failed jobs mean, for the settings page to say in words: what did not happen (the
// job's kind, not its type id) and why (a reason code read from the stored error). The queue stores a
// failure as "<error name>: <message>", and the platform adapters word every failed call the same way
// ("HubSpot <operation> failed with <status>…", "LINE <operation> failed with <status>…"), so the status
// they carry is read back from there.

/** Job types this page can name; any other type is 'other'. Keyed by the type ids the features define. */
const KIND_OF_TYPE = {
  'inbound.event': 'inbound_messages',
  'media.fetch': 'media_downloads',
  'conversation.outbound-sent': 'sent_replies',
  'contacts.sync-link': 'contact_links',
  'line-login.link': 'login_links',
  'workflow.send': 'workflow_sends',
} as const;

export type JobKind = (typeof KIND_OF_TYPE)[keyof typeof KIND_OF_TYPE] | 'other';

export const namedJobTypes = Object.keys(KIND_OF_TYPE);

export function jobKindOf(type: string): JobKind {
  return KIND_OF_TYPE[type as keyof typeof KIND_OF_TYPE] ?? 'other';
}

export type FailureReason =
  | 'hubspot_authorization'
  | 'hubspot_rate_limit'
  | 'hubspot_unavailable'
  | 'hubspot_refused'
  | 'line_token_invalid'
  | 'line_quota'
  | 'line_unavailable'
  | 'line_refused'
  | 'interrupted'
  | 'unknown';

const STATUS = /\b(HubSpot|LINE) .*? failed with (no response|\d{3})(.*)/s;

export function failureReasonOf(lastError: string | null): FailureReason {
  if (!lastError) return 'unknown';
  if (/must reinstall the app|has not installed the app/.test(lastError)) return 'hubspot_authorization';
  if (lastError.startsWith('lease expired')) return 'interrupted';
  const call = STATUS.exec(lastError);
  if (!call) return 'unknown';
  const [, platform, answer, rest] = call;
  const status = answer === 'no response' ? 0 : Number(answer);
  if (platform === 'HubSpot') {
    if (status === 401 || status === 403) return 'hubspot_authorization';
    if (status === 429) return 'hubspot_rate_limit';
    return status === 0 || status >= 500 ? 'hubspot_unavailable' : 'hubspot_refused';
  }
  if (status === 401) return 'line_token_invalid';
  if (status === 429 && rest.includes('monthly limit')) return 'line_quota';
  return status === 0 || status === 429 || status >= 500 ? 'line_unavailable' : 'line_refused';
}
