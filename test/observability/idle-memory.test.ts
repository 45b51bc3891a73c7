// backend/src/observability/idle-memory.ts: after a burst, once the event loop is idle, one last-resort
// collection gives V8's kept pages back; never while the loop is busy, and not again until the process has
// grown again. The last test runs it in a real Node process with --expose-gc and watches its RSS fall.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IDLE_LOOKS, idleMemoryCheck, type IdleMemoryProbes, type IdleMemoryRelease } from '../../backend/src/observability/idle-memory.ts';

const MB = 2 ** 20;

/** Probes driven by the test: the loop's utilization and the RSS of each look are set before it. */
function scripted(startRss: number) {
  const state = { utilization: 0, rss: startRss, rssAfterCollect: startRss, collections: 0 };
  const probes: IdleMemoryProbes = {
    loopUtilization: () => state.utilization,
    residentBytes: () => state.rss,
    collect: () => {
      state.collections++;
      state.rss = state.rssAfterCollect;
    },
  };
  const releases: IdleMemoryRelease[] = [];
  const check = idleMemoryCheck(probes, (release) => releases.push(release));
  /** `times` looks (IDLE_LOOKS unless said), each finding the loop as busy as `state.utilization`. */
  const looks = (times = IDLE_LOOKS) => {
    for (let i = 0; i < times; i++) check();
  };
  return { state, check, looks, releases };
}

describe('giving memory back when idle', () => {
  it('collects once the loop has been idle for IDLE_LOOKS looks in a row after the process grew, and reports what it gave back', () => {
    const { state, check, looks, releases } = scripted(100 * MB);
    state.rss = 140 * MB;
    state.utilization = 0.6;
    looks(3);
    // Idle for all but the last look: a single busy look starts the count again.
    state.utilization = 0.01;
    looks(IDLE_LOOKS - 1);
    state.utilization = 0.3;
    check();
    state.utilization = 0.01;
    looks(IDLE_LOOKS - 1);
    expect(state.collections).toBe(0);

    state.rssAfterCollect = 96 * MB;
    check();
    expect(state.collections).toBe(1);
    expect(releases).toEqual([{ rssBefore: 140 * MB, rssAfter: 96 * MB, tookMs: expect.any(Number) }]);
  });

  it('does not collect for growth below the threshold, nor again until the process grows past what the last collection left', () => {
    const { state, looks: idle } = scripted(100 * MB);
    state.rss = 107 * MB;
    idle();
    expect(state.collections).toBe(0);

    // A collection that cannot give everything back (memory the allocator keeps) leaves a new floor.
    state.rss = 130 * MB;
    state.rssAfterCollect = 115 * MB;
    idle();
    expect(state.collections).toBe(1);
    state.rss = 120 * MB;
    idle();
    idle();
    expect(state.collections).toBe(1);
    state.rss = 124 * MB;
    state.rssAfterCollect = 110 * MB;
    idle();
    expect(state.collections).toBe(2);
  });

  it('follows the process down when it shrinks by itself, so later growth counts from there', () => {
    const { state, check, looks } = scripted(100 * MB);
    state.rss = 90 * MB;
    looks();
    state.rss = 99 * MB;
    check();
    expect(state.collections).toBe(1);
  });

  it('in a Node process started with --expose-gc, gives the pages of a released burst back; without it, does nothing', async () => {
    const moduleUrl = new URL('../../backend/src/observability/idle-memory.ts', import.meta.url).href;
    const script = [
      `const { startIdleMemoryRelease } = await import(${JSON.stringify(moduleUrl)});`,
      'let burstRss = 0;',
      'const release = startIdleMemoryRelease((r) => { console.log(JSON.stringify({ burstRss, ...r })); process.exit(0); }, 50);',
      'if (!release) { console.log(JSON.stringify({ disabled: true })); process.exit(0); }',
      'let burst = [];',
      'for (let i = 0; i < 1_500_000; i++) burst.push({ i, text: "burst " + i });',
      'burstRss = process.memoryUsage.rss();',
      'burst = null;',
      'setTimeout(() => { console.log(JSON.stringify({ timedOut: true })); process.exit(0); }, 5000);',
    ].join('\n');
    const run = (flags: string[]) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const child = spawn(process.execPath, [...flags, '--input-type=module', '--eval', script], { cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.once('exit', () => {
          try {
            resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>);
          } catch (error) {
            reject(error);
          }
        });
      });

    const released = await run(['--expose-gc']);
    expect(released.timedOut).toBeUndefined();
    // The burst held well over 100 MB, kept after it was released; the collection gives most of it back.
    expect(released.rssBefore as number).toBeGreaterThan((released.burstRss as number) - 20 * MB);
    expect((released.rssBefore as number) - (released.rssAfter as number)).toBeGreaterThan(60 * MB);

    expect(await run([])).toEqual({ disabled: true });
  });
});
