import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './session.ts';
import './events.ts';
import './summary.ts';
import './daily.ts';
import './presence.ts';
import './global-stats.ts';

export const schema = builder.toSchema();

/** The SDL committed as schema.graphql: sorted, so it only changes when the API does. */
export const printSortedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;
