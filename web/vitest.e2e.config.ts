import { defineConfig } from 'vitest/config';

/** Browser end-to-end tests: real glucoplay server + Debian chromium via playwright-core. */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    // One server + one browser at a time: the machine has 2 cores.
    fileParallelism: false,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
