import { redisToolProblem } from '../../src/redis-server.ts';
import { buildService } from '../../src/service-process.ts';

/**
 * Before any test file: the tests start their own redis-server processes
 * (Redis 7+: --enable-debug-command, ACL selectors) and build clusters with
 * redis-cli. Without them, one clear line instead of a failure per file.
 * Then src/ is compiled to dist/ once for the tests that start the service
 * as `npm start` does.
 */
export default function checkRedisTools(): void {
  const problems = ['redis-server', 'redis-cli'].map((tool) => redisToolProblem(tool)).filter(Boolean);
  if (problems.length > 0) {
    console.error(`The tests cannot run: ${problems.join('; ')}.`);
    process.exit(1);
  }
  // Tests that start the service as a process run what production runs: the compiled dist/.
  buildService();
}
