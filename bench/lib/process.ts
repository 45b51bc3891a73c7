// Runs a server as a child process (so its CPU and memory are its own), optionally pinned to CPUs,
// samples its RSS and asks it for its event-loop delay (bench/lib/loop-delay-probe.ts, preloaded).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/**
 * The probe as plain JavaScript: preloaded as TypeScript, it made the server load Node's type stripper, whose
 * 4 MB of source and WebAssembly memory the server itself never needs (it runs the built JavaScript).
 */
function javascriptProbe(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lfh-bench-probe-')), 'loop-delay-probe.mjs');
  writeFileSync(path, stripTypeScriptTypes(readFileSync(fileURLToPath(new URL('./loop-delay-probe.ts', import.meta.url)), 'utf8')));
  return path;
}
let probe: string | undefined;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Highest resident set size seen so far, in MB (sampled every 100 ms from /proc). */
  peakRssMb(): number;
  /** Resident set size now, in MB. */
  rssMb(): number;
  /** The server's event-loop delay in ms since the previous call (or its start). */
  loopDelay(): Promise<LoopDelay>;
  stop(): Promise<void>;
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

export async function startServerProcess(options: {
  script: string;
  args?: string[];
  /** Options for node itself, before the script. */
  nodeOptions?: string[];
  env: Record<string, string>;
  healthUrl: string;
  url: string;
  cpus?: string;
}): Promise<ServerProcess> {
  const node = [process.execPath, ...(options.nodeOptions ?? []), '--import', (probe ??= javascriptProbe()), options.script, ...(options.args ?? [])];
  const [command, ...args] = options.cpus ? ['taskset', '--cpu-list', options.cpus, ...node] : node;
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 100);
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(options.healthUrl).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`${options.script} exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url: options.url,
    peakRssMb: () => Math.max(peak, rssMb(child.pid!)),
    rssMb: () => rssMb(child.pid!),
    loopDelay: () =>
      new Promise<LoopDelay>((resolve) => {
        child.once('message', (figures) => resolve(figures as LoopDelay));
        child.send('loop-delay');
      }),
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
