// `npm run demo` as a newcomer runs it: the printed curl lines make the LINE user follow and write, and the
// contact appears in the emulated portal with the user's LINE id; Ctrl-C stops it cleanly, and a second run
// on the same data directory works again with the account stored by the first.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../install/harness.ts';
import { runDemo } from './demo-process.ts';

/** Runs the printed curl lines that start with `curl -X POST` and mention `path`, as a shell would. */
async function runCurl(output: string, path: string): Promise<void> {
  const command = output.split('\n').map((l) => l.trim()).find((l) => l.startsWith('curl -X POST') && l.includes(path));
  if (!command) throw new Error(`no curl line for ${path} in:\n${output}`);
  const child = spawn('sh', ['-c', `${command} --fail --silent --show-error`], { stdio: ['ignore', 'pipe', 'inherit'] });
  expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
}

describe('npm run demo', () => {
  it('connects everything, turns a LINE user writing into a HubSpot contact, stops on Ctrl-C and works again after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lfh-demo-'));
    for (const run of [1, 2]) {
      const demo = await runDemo(dataDir);
      const output = demo.output();
      expect(output, output).toContain('LINE account "Demo shop" (channel 2006000001) connected');
      const contactsUrl = output.match(/^\s+curl (http:\S+\/_emulator\/portals\/\d+\/contacts)$/m)?.[1];
      const userId = output.match(/as LINE user \S+ \((U[0-9a-f]{32})\)/)?.[1];
      expect(contactsUrl && userId).toBeTruthy();

      await runCurl(output, '/follow');
      await runCurl(output, '"text"');
      const contact = await eventually(async () => {
        const { results } = await (await fetch(contactsUrl!)).json();
        return results.find((c: { properties: Record<string, string> }) => c.properties.line_user_id === userId && c.properties.line_last_inbound_at);
      }, `run ${run}: the LINE user's contact with the message`, 30_000);
      expect(contact.properties).toMatchObject({ line_display_name: 'Aiko', line_follow_status: 'following' });

      demo.interrupt();
      expect(await demo.exited).toBe(0);
    }
  }, 180_000);
});
