import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 has no exports map: Node resolves `import 'graphql'` to its
    // CommonJS build (main), Vite to its ESM build (module). Point Vite at the
    // build Node and the libraries use, so a single copy of graphql is loaded
    // and `instanceof GraphQLError` holds in tests as in production.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // One clear line when redis-server or redis-cli is missing or too old.
    globalSetup: ['test/support/global-setup.ts'],
    // Lets memory tests collect garbage before they measure.
    execArgv: ['--expose-gc'],
    // Each test file starts its own redis-server, so files run in parallel safely.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
