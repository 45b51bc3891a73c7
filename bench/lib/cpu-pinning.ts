// On a small machine the load generator and the server it measures must not take each other's CPU:
// the generator (this process, all its threads) goes on the first CPU, servers on the others. Without
// taskset or with a single CPU nothing is pinned, and the bench says so.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface Pinning {
  /** CPUs for servers (taskset --cpu-list), or undefined when nothing is pinned. */
  serverCpus?: string;
  /** Gives this process back the CPUs it had before. */
  restore(): void;
}

function affinityOf(pid: number): string {
  // `taskset -pc` prints "pid N's current affinity list: 0-3".
  return execFileSync('taskset', ['-pc', String(pid)], { encoding: 'utf8' }).trim().split(': ').pop()!;
}

export function pinLoadGenerator(): Pinning {
  const cpus = availableParallelism();
  let before: string;
  try {
    before = affinityOf(process.pid);
  } catch {
    console.log('  (taskset not available: load generator and server share the CPUs)');
    return { restore() {} };
  }
  if (cpus < 2) {
    console.log('  (one CPU: load generator and server share it)');
    return { restore() {} };
  }
  execFileSync('taskset', ['-a', '-pc', '0', String(process.pid)], { stdio: 'ignore' });
  return {
    serverCpus: cpus === 2 ? '1' : `1-${cpus - 1}`,
    restore: () => execFileSync('taskset', ['-a', '-pc', before, String(process.pid)], { stdio: 'ignore' }),
  };
}
