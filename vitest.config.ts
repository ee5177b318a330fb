import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own redis-server, so files run in parallel safely.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
