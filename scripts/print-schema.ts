import { writeFileSync } from 'node:fs';
import { printSortedSchema } from '../src/schema/index.ts';

/** Writes schema.graphql from the Pothos schema (sorted). Run: npm run schema */
const target = new URL('../schema.graphql', import.meta.url);
writeFileSync(target, printSortedSchema());
console.info(`wrote ${target.pathname}`);
