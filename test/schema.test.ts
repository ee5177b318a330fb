import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../codegen.ts';
import { printSortedSchema } from '../src/schema/index.ts';

const root = new URL('../', import.meta.url);

describe('committed artifacts', () => {
  it('schema.graphql is the printed Pothos schema (run `npm run schema`)', async () => {
    expect(await readFile(new URL('schema.graphql', root), 'utf8')).toBe(printSortedSchema());
  });

  it('test/gql is what codegen generates now (run `npm run codegen`)', async () => {
    const outputs = await generate({ ...codegenConfig, cwd: root.pathname, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = await readFile(new URL(output.filename, root), 'utf8').catch(() => '(missing)');
      expect(committed, output.filename).toBe(output.content);
    }
  });
});
