import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../src/service-process.ts';

// The heap sizing measured by `npm run bench` is the one the container starts with.
describe('the service runs with its V8 heap flags', () => {
  it("in the Dockerfile's NODE_OPTIONS", () => {
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    const options = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1];
    expect(options?.split(' ')).toEqual([...SERVICE_NODE_FLAGS]);
  });
});
