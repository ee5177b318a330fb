import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { rulesOf } from '../schema/field-rules.ts';

/** The fields a selection set selects on `type`, through fragments and inline fragments. */
export function collectFields(
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || selection.typeCondition.name.value === type.name)
          visit(selection.selectionSet, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value) || fragment.typeCondition.name.value !== type.name) continue;
        visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
      }
    }
  };
  visit(selectionSet, new Set());
  return fields;
}

/** A field's arguments as the executor will see them; null when they do not coerce (execution reports that). */
export function argumentsOf(
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> | null {
  try {
    return getArgumentValues(definition, node, variables);
  } catch {
    return null;
  }
}

/**
 * The worst-case cost of selecting `node` on `type`: a list field multiplies
 * what it selects by the most items it can return (its `limit`, `first`, the
 * batch's length or a fixed bound), and each value weighs its field's weight
 * (1, or more for a field that can carry kilobytes). Roughly proportional to
 * the largest answer the field can produce.
 */
export function fieldCost(
  type: GraphQLObjectType,
  node: FieldNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  /** The field's arguments, when the caller has them already (the gate coerced them). */
  known?: Record<string, unknown>,
): number {
  const definition = type.getFields()[node.name.value];
  if (!definition) return 1; // __typename, or introspection (refused in production)
  const rules = rulesOf(definition);
  const args = known ?? argumentsOf(definition, node, variables) ?? {};
  const size = bound(rules.listSize, args);
  const weight = bound(rules.weight, args);
  const named = getNamedType(definition.type);
  let children = 0;
  if (isObjectType(named) && node.selectionSet) {
    for (const child of collectFields(node.selectionSet, named, fragments)) {
      children += fieldCost(named, child, fragments, variables);
    }
  }
  return size * (weight + children);
}

/** Whether the cost of selecting `node` on `type` depends on arguments (some rule under it is a function of them). */
export function costReadsArguments(
  type: GraphQLObjectType,
  node: FieldNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): boolean {
  const definition = type.getFields()[node.name.value];
  if (!definition) return false;
  const rules = rulesOf(definition);
  if (typeof rules.listSize === 'function' || typeof rules.weight === 'function') return true;
  const named = getNamedType(definition.type);
  if (!isObjectType(named) || !node.selectionSet) return false;
  return collectFields(node.selectionSet, named, fragments).some((child) =>
    costReadsArguments(named, child, fragments),
  );
}

// An argument the field will refuse anyway (say limit: -1) must not make the cost negative or NaN.
function bound(rule: number | ((args: Record<string, unknown>) => number) | undefined, args: Record<string, unknown>) {
  const value = typeof rule === 'function' ? rule(args) : (rule ?? 1);
  return Number.isFinite(value) && value > 0 ? value : 1;
}
