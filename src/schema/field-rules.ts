import type { GraphQLField } from 'graphql';

/**
 * What the protections need to know of a field before anything runs,
 * declared next to the field (in its `extensions`):
 * - validate: the root field's argument checks (throw InvalidInputError),
 *   run for every root field of an operation before any of them executes;
 * - listSize: most items this list field can return, given its arguments;
 * - weight: cost of one value (default 1; a 16 KiB details object, or a page of ids, weighs more);
 * - writes: rate-limit units a mutation field consumes (default 1; a batch, its events).
 */
export interface FieldRules {
  validate?: (args: Record<string, unknown>) => void;
  listSize?: number | ((args: Record<string, unknown>) => number);
  weight?: number | ((args: Record<string, unknown>) => number);
  writes?: (args: Record<string, unknown>) => number;
}

const RULES = 'activityRules';

export const fieldRules = (rules: FieldRules) => ({ [RULES]: rules });

export const rulesOf = (field: GraphQLField<unknown, unknown>): FieldRules =>
  (field.extensions[RULES] as FieldRules | undefined) ?? {};
