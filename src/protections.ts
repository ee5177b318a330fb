import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from './config.ts';
import type { GraphQLContext } from './context.ts';
import { useOperationGate } from './protections/operation-gate.ts';
import { useSubscriptionLimits } from './protections/subscriptions.ts';
import { useHiddenSuggestions, useNoIntrospection } from './protections/suggestions.ts';
import type { CostWindowLimiter } from './rate-limit/cost-window.ts';

/**
 * Limits on what one document may ask for. Generous for every real
 * operation of this API (its deepest selection is 4 levels), fatal to
 * alias floods and absurd nesting; checked before anything runs.
 * (maxCost is graphql-armor's depth-weighted document cost; the list-aware
 * cost of an operation is MAX_OPERATION_COST, see operation-gate.ts.)
 */
export const DOCUMENT_LIMITS = {
  maxDepth: 10,
  maxAliases: 30,
  maxTokens: 5000,
  maxDirectives: 20,
  maxCost: 5000,
} as const;

/**
 * By default graphql-armor throws out of validate(): the error then has no
 * code over HTTP and closes a whole graphql-ws socket. Reported instead, it
 * is an ordinary validation error (GRAPHQL_VALIDATION_FAILED).
 */
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export interface ProtectionSources {
  /** The shared write budget; absent when RATE_LIMIT_MUTATIONS_PER_MINUTE is 0. */
  rateLimiter?: CostWindowLimiter | undefined;
}

/**
 * Every protection of the GraphQL layer, in the order they run. Each is a
 * Yoga/envelop plugin on parse, validate, execute or subscribe, the steps
 * HTTP, SSE and graphql-ws (src/http/graphql-ws.ts) all go through, so one
 * list protects every transport.
 */
export function protectionPlugins(config: Config, { rateLimiter }: ProtectionSources = {}): Plugin<GraphQLContext>[] {
  const plugins: Plugin<GraphQLContext>[] = [
    // Refuses what a browser sends cross-site without a CORS preflight (GET,
    // form posts) unless it carries this header; JSON POSTs pass.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }) as Plugin<GraphQLContext>,
    EnvelopArmorPlugin({
      maxDepth: { n: DOCUMENT_LIMITS.maxDepth, ignoreIntrospection: true, ...reportAsValidationError },
      maxAliases: { n: DOCUMENT_LIMITS.maxAliases, ...reportAsValidationError },
      maxTokens: { n: DOCUMENT_LIMITS.maxTokens },
      maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, ...reportAsValidationError },
      costLimit: { maxCost: DOCUMENT_LIMITS.maxCost, ignoreIntrospection: true, ...reportAsValidationError },
      // Replaced by useHiddenSuggestions, which also covers enum values and input fields.
      blockFieldSuggestion: { enabled: false },
    }) as Plugin<GraphQLContext>,
  ];
  if (!config.introspection) {
    plugins.push(useNoIntrospection() as Plugin<GraphQLContext>, useHiddenSuggestions() as Plugin<GraphQLContext>);
  }
  plugins.push(
    useOperationGate({
      maxOperationCost: config.limits.maxOperationCost,
      maxResponseBytes: config.limits.maxResponseBytes,
      rateLimiter,
    }),
    useSubscriptionLimits({ maxOpen: config.limits.maxSubscriptions }),
  );
  return plugins;
}
