import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test time is spent waiting on sockets, databases and child processes, not on the CPU: one file more
    // than there are cores keeps them busy (vitest's default leaves a core free: one file at a time on 2 cores).
    maxWorkers: availableParallelism() + 1,
    // Each file builds its own backend, emulators and databases and leaves no global state behind, so a worker
    // process can serve many files: the backend and SDK modules are loaded once per worker instead of per file.
    isolate: false,
  },
});
