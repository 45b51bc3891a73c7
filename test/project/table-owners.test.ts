// Who may query which table, checked on every run: each table has one owner folder (its repository
// lives there) and no other file names it in a query (`db('t')`, `trx('t')`, `.from('t')`, `'t as x'`).
// A new query against another feature's table fails here with the file and the table; the fix is a
// function in the owner's repository.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../backend/src');

/** Table → the folder whose repository is the only code that queries it. */
const OWNERS: Record<string, string> = {
  messages: 'conversation',
  conversations: 'conversation',
  line_accounts: 'accounts',
  account_operations: 'accounts',
  line_links: 'contacts',
  portals: 'hubspot',
  oauth_state_uses: 'install',
  line_login_states: 'line-login',
  media: 'media',
  group_media: 'media',
  inbound_events: 'inbound',
  inbound_deliveries: 'inbound',
  line_groups: 'groups',
  line_group_members: 'groups',
  group_messages: 'groups',
  group_conversations: 'groups',
  message_templates: 'templates',
  line_reply_tokens: 'chat',
  jobs: 'jobs',
  job_pauses: 'jobs',
  line_message_verdicts: 'workflow',
};

/**
 * Files allowed to name a table they do not own, each with the reason. The erase of a whole portal and
 * the privacy erase of one contact are the sanctioned generic exception: they walk every stored table
 * (install/stored-tables.ts) so that a table added later is erased without anyone remembering to;
 * erase-portal.ts names no table, contact-links.ts names the links it starts from.
 */
const EXCEPTIONS: Record<string, string[]> = {
  'hubspot-webhooks/contact-links.ts': ['line_links'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const tables = Object.keys(OWNERS).join('|');
/** A table named as the first argument of a call (db, trx, from, join …) or aliased ('messages as m'). */
const QUERY = new RegExp(`(?:[\\w)]\\s*\\(\\s*'(${tables})(?:\\s+as\\s+\\w+)?'\\s*[,)])|(?:'(${tables})\\s+as\\s+\\w+')`, 'g');

function tablesNamedIn(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...new Set([...text.matchAll(QUERY)].map((m) => m[1] ?? m[2]))];
}

const uses = sourceFiles(ROOT).flatMap((path) => {
  const file = relative(ROOT, path);
  return tablesNamedIn(path).map((table) => ({ file, table }));
});

describe('table owners', () => {
  it('finds the queries it checks (the pattern still reads the tree)', () => {
    expect(uses).toContainEqual({ file: 'conversation/messages.ts', table: 'messages' });
    expect(uses).toContainEqual({ file: 'media/media-store.ts', table: 'media' });
    expect(uses).toContainEqual({ file: 'jobs/queue.ts', table: 'job_pauses' });
  });

  it('no file outside a table\'s owner folder names it in a query', () => {
    const strays = uses.filter(({ file, table }) => file.split('/')[0] !== OWNERS[table] && !EXCEPTIONS[file]?.includes(table));
    expect(strays.map(({ file, table }) => `${file} queries ${table}`)).toEqual([]);
  });

  it('lists no exception that no longer holds', () => {
    const stale = Object.entries(EXCEPTIONS).flatMap(([file, named]) =>
      named.filter((table) => !uses.some((u) => u.file === file && u.table === table)).map((table) => `${file}: ${table}`),
    );
    expect(stale).toEqual([]);
  });
});
