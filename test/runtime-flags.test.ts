import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../src/service-process.ts';

// The heap sizing measured by `npm run bench` is the one production starts with.
describe('the service starts with its V8 heap flags', () => {
  it('in npm start', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const flag of SERVICE_NODE_FLAGS) expect(scripts['start']).toContain(flag);
  });
});
