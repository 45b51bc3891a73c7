import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test time is spent waiting on sockets, databases and child processes, not on the CPU: one file per
    // core (vitest's default leaves a core free, i.e. one file at a time on 2 cores) keeps the cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
    // Each file builds its own backend, emulators and databases and leaves no global state behind, so a worker
    // process can serve many files: the backend and SDK modules are loaded once per worker instead of per file.
    isolate: false,
  },
});
