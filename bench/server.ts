/**
 * Kept for test/multi-instance.test.ts and scripts/soak.ts, which import
 * it from here; the bench itself imports src/service-process.ts. Issue 13
 * moves those imports, after which this file goes.
 */
export { type ServerOptions, ServerProcess } from '../src/service-process.ts';
