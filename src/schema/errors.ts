import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { isAsyncIterable, maskError as maskUnexpectedError, type Plugin } from 'graphql-yoga';
import { InvalidInputError, StoreUnavailableError } from '../activity/errors.ts';

export const ErrorCode = {
  badUserInput: 'BAD_USER_INPUT',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  serviceUnavailable: 'SERVICE_UNAVAILABLE',
  rateLimited: 'RATE_LIMITED',
} as const;

/** The GraphQL face of the Redis layer's expected failures; null for anything else. */
export function codedError(error: unknown): GraphQLError | null {
  if (error instanceof InvalidInputError) {
    return new GraphQLError(error.message, {
      extensions: { code: ErrorCode.badUserInput, field: error.field },
    });
  }
  if (error instanceof StoreUnavailableError) {
    return new GraphQLError('The activity store is unavailable; try again shortly.', {
      extensions: { code: ErrorCode.serviceUnavailable },
    });
  }
  return null;
}

const rethrowCoded = (error: unknown): never => {
  throw codedError(error) ?? error;
};

/**
 * Converts expected failures where resolvers and subscribe functions throw
 * them, so Yoga passes them through as they are and only logs and masks the
 * unexpected ones.
 */
class DomainErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    _fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    return guarded(resolver);
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    _fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    return subscribe && guarded(subscribe);
  }
}

function guarded<Context>(
  resolver: GraphQLFieldResolver<unknown, Context, object>,
): GraphQLFieldResolver<unknown, Context, object> {
  return (parent, args, context, info) => {
    try {
      const result: unknown = resolver(parent, args, context, info);
      return result instanceof Promise ? result.catch(rethrowCoded) : result;
    } catch (error) {
      return rethrowCoded(error);
    }
  };
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      domainErrors: DomainErrorsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('domainErrors', DomainErrorsPlugin);

/**
 * Yoga's error masking, knowing the expected failures that reach it by
 * another road (an error raised inside a subscription stream): no Redis
 * internals ever leak.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = (error as { originalError?: unknown }).originalError ?? error;
  const coded = codedError(original);
  if (!coded) return maskUnexpectedError(error, message, isDev);
  const located = error as Partial<GraphQLError>;
  return new GraphQLError(coded.message, {
    nodes: located.nodes,
    source: located.source,
    positions: located.positions,
    path: located.path,
    extensions: coded.extensions,
  });
}

/**
 * A request the executor refused before running it (a variable of the wrong
 * type, a missing required variable) is the caller's mistake: give those
 * errors BAD_USER_INPUT where nothing more specific was set.
 */
export function useInputErrorCodes(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result }) => {
        if (isAsyncIterable(result) || result.data !== undefined) return;
        for (const error of result.errors ?? []) {
          (error.extensions as Record<string, unknown>)['code'] ??= ErrorCode.badUserInput;
        }
      },
    }),
  };
}
