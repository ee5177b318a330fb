import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.ts';
import type { CostCharge, CostWindowLimiter } from '../rate-limit/cost-window.ts';
import { grants, unauthorized } from '../schema/builder.ts';
import { codedError, ErrorCode, fromDomainError } from '../schema/errors.ts';
import { type FieldRules, rulesOf } from '../schema/field-rules.ts';
import { argumentsOf, collectFields, costReadsArguments, fieldCost } from './operation-cost.ts';

export interface OperationGateLimits {
  /** Most worst-case cost one operation may have (see operation-cost.ts). */
  maxOperationCost: number;
  /** Most bytes of one answer (JSON); over it the answer is replaced by RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  /** Shared write budget per caller and minute; undefined when rate limiting is off. */
  rateLimiter?: CostWindowLimiter | undefined;
}

/** What an onExecute hook may hand back: the hook to run once the operation ran. */
type AfterExecute = Exclude<Awaited<ReturnType<NonNullable<Plugin<GraphQLContext>['onExecute']>>>, void>;

/** What the gate worked out for an operation before letting it run. */
interface OperationPlan {
  cost: number;
  writes: number;
}

// A cost unit stands for at most about this many bytes of JSON (a details
// object of 16 KiB weighs 128), times a margin for escaping. Answers whose
// worst case stays under the byte cap are not measured.
const BYTES_PER_COST_UNIT = 128 * 6;

/**
 * Everything decided about an operation before any of its root fields runs,
 * on every transport (HTTP, SSE and graphql-ws all run Yoga's execute and
 * subscribe):
 * 1. every root field's authorization and arguments, so an operation
 *    refused with UNAUTHENTICATED, FORBIDDEN or BAD_USER_INPUT has run
 *    (and written) nothing, however many root fields it has;
 * 2. its worst-case cost, against MAX_OPERATION_COST (QUERY_TOO_COMPLEX);
 * 3. for mutations, its writes against the caller's shared rate limit
 *    (RATE_LIMITED);
 * then, once it ran, the answer's size against MAX_RESPONSE_BYTES and the
 * items read against MAX_ITEMS_PER_REQUEST (RESPONSE_TOO_LARGE, no data).
 * A refusal is an ordinary GraphQL result: a graphql-ws socket stays open.
 */
export function useOperationGate(limits: OperationGateLimits): Plugin<GraphQLContext> {
  type Decision = { refusal: GraphQLError | null; plan: OperationPlan | null };
  const gate = (args: ExecutionArgs): Decision | Promise<Decision> => {
    const plan = planOperation(args);
    if (plan === null) return { refusal: null, plan: null };
    if ('refusal' in plan) return { refusal: plan.refusal, plan: null };
    if (plan.cost > limits.maxOperationCost) {
      return {
        refusal: codedError(
          ErrorCode.queryTooComplex,
          `This operation could cost ${plan.cost}, over the limit of ${limits.maxOperationCost}: ask for smaller lists (limit, first), fewer aliases or no details.`,
          { extensions: { cost: plan.cost, maxCost: limits.maxOperationCost } },
        ),
        plan,
      };
    }
    const caller = (args.contextValue as GraphQLContext).caller;
    if (limits.rateLimiter && plan.writes > 0 && caller !== null) {
      return chargeWrites(limits.rateLimiter, `${caller.role}:${caller.subject}`, plan.writes).then((refusal) => ({
        refusal,
        plan,
      }));
    }
    return { refusal: null, plan };
  };

  // The budget's refusal replaces any answer; an answer whose worst case fits the byte cap is not measured.
  const budgetOnly: AfterExecute = {
    onExecuteDone: ({ args, result, setResult }) => {
      if (isAsyncIterable(result)) return;
      const refusal = (args.contextValue as GraphQLContext).budget.refusal;
      if (refusal) setResult({ errors: [refusal] });
    },
  };
  const measured: AfterExecute = {
    onExecuteDone: ({ args, result, setResult }) => {
      if (isAsyncIterable(result)) return;
      const refusal = (args.contextValue as GraphQLContext).budget.refusal;
      if (refusal) {
        setResult({ errors: [refusal] });
        return;
      }
      const bytes = Buffer.byteLength(JSON.stringify(result));
      if (bytes <= limits.maxResponseBytes) return;
      setResult({
        errors: [
          codedError(
            ErrorCode.responseTooLarge,
            `The answer would be over ${limits.maxResponseBytes} bytes (MAX_RESPONSE_BYTES): ask for less at a time.`,
          ),
        ],
      });
    },
  };

  const afterExecute = (
    { refusal, plan }: Decision,
    stop: (result: ExecutionResult) => void,
  ): AfterExecute | undefined => {
    if (refusal) {
      stop({ data: null, errors: [refusal] });
      return undefined;
    }
    return plan && plan.cost * BYTES_PER_COST_UNIT >= limits.maxResponseBytes ? measured : budgetOnly;
  };

  // Synchronous unless the rate limiter is asked: an await per operation costs allocations on every call.
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const decision = gate(args);
      return decision instanceof Promise
        ? decision.then((decided) => afterExecute(decided, setResultAndStopExecution))
        : afterExecute(decision, setResultAndStopExecution);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const decision = gate(args);
      const refuse = ({ refusal }: Decision) => {
        if (refusal) setResultAndStopExecution({ errors: [refusal] });
      };
      return decision instanceof Promise ? decision.then(refuse) : refuse(decision);
    },
  };
}

/** What an operation's document says once and for all: its root fields and what their cost needs. */
interface OperationShape {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  rootType: GraphQLObjectType;
  fragments: Map<string, FragmentDefinitionNode>;
  fields: {
    node: FieldNode;
    definition: GraphQLField<unknown, unknown>;
    rules: FieldRules;
    path: string[];
    /** The field's cost when no rule under it reads arguments; null when it must be worked out per call. */
    fixedCost: number | null;
  }[];
}

// Yoga hands every request for the same text the same cached DocumentNode: its shape is worked out once.
const shapes = new WeakMap<DocumentNode, Map<string, OperationShape | null>>();

function shapeOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationShape | null {
  let byName = shapes.get(document);
  if (!byName) {
    byName = new Map();
    shapes.set(document, byName);
  }
  const key = operationName ?? '';
  const known = byName.get(key);
  if (known !== undefined && (known === null || known.schema === schema)) return known;
  const shape = buildShape(schema, document, operationName);
  byName.set(key, shape);
  return shape;
}

function buildShape(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationShape | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return null;
  const fragments = fragmentsOf(document);
  const definitions = rootType.getFields();
  const fields: OperationShape['fields'] = [];
  for (const node of collectFields(operation.selectionSet, rootType, fragments)) {
    const definition = definitions[node.name.value];
    if (!definition) continue; // __typename, introspection
    fields.push({
      node,
      definition,
      rules: rulesOf(definition),
      path: [node.alias?.value ?? node.name.value],
      fixedCost: costReadsArguments(rootType, node, fragments) ? null : fieldCost(rootType, node, fragments, {}),
    });
  }
  return { schema, operation, rootType, fragments, fields };
}

/**
 * Checks every root field and adds up the cost and writes; null when the
 * request is malformed in a way the executor itself reports (no such
 * operation, variables that do not coerce).
 */
function planOperation(args: ExecutionArgs): OperationPlan | { refusal: GraphQLError } | null {
  const shape = shapeOf(args.schema, args.document, args.operationName);
  if (!shape) return null;
  const { operation, rootType, fragments } = shape;
  const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {}, {
    maxErrors: 1,
  });
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  const context = args.contextValue as GraphQLContext;
  const mutation = operation.operation === 'mutation';
  let cost = 0;
  let writes = 0;
  for (const { node, definition, rules, path, fixedCost } of shape.fields) {
    const fieldArgs = argumentsOf(definition, node, variables);
    if (fieldArgs === null) return null;
    // Every root field needs a verified caller; its own scopes narrow that.
    const scopes = scopesOf(definition.extensions, fieldArgs, context);
    if (context.caller === null || (scopes !== null && !grants(scopes, context.caller))) {
      const refusal = unauthorized(context.caller, context.authError);
      return { refusal: locate(refusal, node, path) };
    }
    try {
      rules.validate?.(fieldArgs);
    } catch (error) {
      const coded = fromDomainError(error);
      if (!coded) throw error;
      return { refusal: locate(coded, node, path) };
    }
    cost += fixedCost ?? fieldCost(rootType, node, fragments, variables, fieldArgs);
    if (mutation) writes += rules.writes?.(fieldArgs) ?? 1;
  }
  return { cost, writes };
}

/** The field's scope-auth scopes (Pothos keeps them in the field's extensions), evaluated for these arguments. */
function scopesOf(
  extensions: Readonly<Record<string, unknown>>,
  fieldArgs: Record<string, unknown>,
  context: GraphQLContext,
): Record<string, unknown> | null {
  const options = extensions['pothosOptions'] as { authScopes?: unknown } | undefined;
  const authScopes = options?.authScopes;
  if (authScopes === undefined) return null;
  const scopes =
    typeof authScopes === 'function'
      ? (authScopes as (...a: unknown[]) => unknown)(undefined, fieldArgs, context)
      : authScopes;
  return scopes as Record<string, unknown>;
}

/** The refusal, placed on the root field that caused it (as the resolver's own error would be). */
function locate(error: GraphQLError, node: FieldNode, path: string[]): GraphQLError {
  return codedError(error.extensions['code'] as never, error.message, {
    nodes: node,
    path,
    extensions: Object.fromEntries(Object.entries(error.extensions).filter(([key]) => key !== 'code')),
  });
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

async function chargeWrites(limiter: CostWindowLimiter, caller: string, writes: number): Promise<GraphQLError | null> {
  let charge: CostCharge;
  try {
    charge = await limiter.charge(caller, writes);
  } catch {
    return codedError(ErrorCode.serviceUnavailable, 'The rate limiter is unavailable; try again shortly.');
  }
  if (charge.allowed) return null;
  return codedError(
    ErrorCode.rateLimited,
    writes > limiter.budgetPerMinute
      ? `This operation writes ${writes}, more than the ${limiter.budgetPerMinute} a caller may write in a minute: split it.`
      : `Rate limit exceeded: at most ${limiter.budgetPerMinute} writes (events and session calls) a minute; retry in ${charge.retryAfterSeconds} s.`,
    {
      httpStatus: 429,
      extensions: { retryAfterSeconds: charge.retryAfterSeconds, cost: writes, limit: limiter.budgetPerMinute },
    },
  );
}
