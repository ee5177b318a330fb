import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { getOperationAST, GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { GraphQLContext } from './context.ts';
import { ErrorCode } from './schema/errors.ts';

/**
 * Limits on what one document may ask for. Generous for every real
 * operation of this API (its deepest selection is 4 levels), fatal to
 * alias floods and absurd nesting; checked before anything runs.
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

export function protectionPlugins(config: Config, clock: Clock): Plugin<GraphQLContext>[] {
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
      blockFieldSuggestion: { enabled: config.production },
    }) as Plugin<GraphQLContext>,
  ];
  if (!config.introspection) plugins.push(useDisableIntrospection() as Plugin<GraphQLContext>);
  if (config.limits.mutationsPerMinute > 0) {
    plugins.push(useMutationRateLimit(config.limits.mutationsPerMinute, clock));
  }
  return plugins;
}

const WINDOW_MS = 60_000;

/**
 * At most `perMinute` mutation requests per caller (token subject) per
 * minute on this instance, counted in fixed one-minute windows. A refused
 * request gets RATE_LIMITED (HTTP 429) and runs nothing.
 */
export function useMutationRateLimit(perMinute: number, clock: Clock): Plugin<GraphQLContext> {
  let window = -1;
  let counts = new Map<string, number>();
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const caller = args.contextValue.caller;
      if (operation?.operation !== 'mutation' || caller === null) return;
      const current = Math.floor(clock.now().getTime() / WINDOW_MS);
      if (current !== window) {
        window = current;
        counts = new Map();
      }
      const key = `${caller.role}:${caller.subject}`;
      const used = (counts.get(key) ?? 0) + 1;
      counts.set(key, used);
      if (used > perMinute) {
        throw new GraphQLError(`Rate limit exceeded: at most ${perMinute} mutations a minute`, {
          extensions: { code: ErrorCode.rateLimited, http: { status: 429 } },
        });
      }
    },
  };
}
