// Runs a server as a child process (so its CPU and memory are its own), optionally pinned to CPUs,
// samples its RSS and asks it for its event-loop delay (bench/lib/loop-delay-probe.ts, preloaded).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  const dir = mkdtempSync(join(tmpdir(), 'lfh-bench-probe-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'loop-delay-probe.mjs');
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
  /** Starts recording the server's event-loop delay (after the server has answered). */
  startLoopDelay(): Promise<void>;
  /** Stops recording it. */
  stopLoopDelay(): Promise<void>;
  /** The event-loop delay in ms recorded since the previous call, while recording was on. */
  loopDelay(): Promise<LoopDelay>;
  /** CPU time the server has used so far, all its threads, user and system, in ms (0 where /proc is missing). */
  cpuMs(): number;
  /** Stops the process from running (SIGSTOP) until resume(): an idle server's timers and collections take CPU too. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

function cpuMsOf(pid: number): number {
  try {
    // utime and stime are the 14th and 15th fields of /proc/<pid>/stat (after the parenthesised name), in
    // clock ticks; a process's line covers all its threads.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}
/** USER_HZ: 100 on every Linux the project runs on. */
const CLOCK_TICKS_PER_S = 100;

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
  /** Sends the probe a message and waits for its answer (bench/lib/loop-delay-probe.ts). */
  const ask = (message: string) =>
    new Promise<unknown>((resolve) => {
      child.once('message', resolve);
      child.send(message);
    });
  return {
    child,
    url: options.url,
    peakRssMb: () => Math.max(peak, rssMb(child.pid!)),
    rssMb: () => rssMb(child.pid!),
    startLoopDelay: async () => void (await ask('loop-delay-start')),
    stopLoopDelay: async () => void (await ask('loop-delay-stop')),
    loopDelay: async () => (await ask('loop-delay')) as LoopDelay,
    cpuMs: () => cpuMsOf(child.pid!),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
