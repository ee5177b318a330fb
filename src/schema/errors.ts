import { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import {
  type ASTNode,
  defaultFieldResolver,
  type ExecutionResult,
  GraphQLError,
  type GraphQLFieldResolver,
} from 'graphql';
import { isAsyncIterable, maskError as maskUnexpectedError, type Plugin } from 'graphql-yoga';
import { EventIdReusedError, InvalidInputError, StoreUnavailableError } from '../activity/errors.ts';

/** Every extensions.code the service answers with (besides graphql-js' and Yoga's own). */
export const ErrorCode = {
  badUserInput: 'BAD_USER_INPUT',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  serviceUnavailable: 'SERVICE_UNAVAILABLE',
  rateLimited: 'RATE_LIMITED',
  /** The operation's worst-case cost is over MAX_OPERATION_COST; nothing ran. */
  queryTooComplex: 'QUERY_TOO_COMPLEX',
  /** The answer would exceed MAX_RESPONSE_BYTES or MAX_ITEMS_PER_REQUEST; nothing of it is sent. */
  responseTooLarge: 'RESPONSE_TOO_LARGE',
  /** MAX_SUBSCRIPTIONS_PER_SOCKET or MAX_SUBSCRIPTIONS is reached. */
  tooManySubscriptions: 'TOO_MANY_SUBSCRIPTIONS',
  /** An eventId already used by a call with another payload; nothing was written. */
  eventIdReused: 'EVENT_ID_REUSED',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface CodedErrorOptions {
  nodes?: ASTNode | readonly ASTNode[] | undefined;
  path?: readonly (string | number)[] | undefined;
  /** More extensions next to the code (e.g. the offending field). */
  extensions?: Record<string, unknown>;
  /** The HTTP status Yoga answers with when this error ends the request. */
  httpStatus?: number;
}

/** The one way the service raises an error a caller is meant to read: a GraphQLError with extensions.code. */
export function codedError(code: ErrorCodeValue, message: string, options: CodedErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, {
    nodes: options.nodes,
    path: options.path,
    extensions: {
      code,
      ...options.extensions,
      ...(options.httpStatus ? { http: { status: options.httpStatus } } : {}),
    },
  });
}

/** The GraphQL face of the Redis layer's expected failures; null for anything else. */
export function fromDomainError(error: unknown): GraphQLError | null {
  if (error instanceof InvalidInputError) {
    return codedError(ErrorCode.badUserInput, error.message, { extensions: { field: error.field } });
  }
  if (error instanceof EventIdReusedError) {
    return codedError(ErrorCode.eventIdReused, error.message, { extensions: { field: error.field } });
  }
  if (error instanceof StoreUnavailableError) {
    return codedError(ErrorCode.serviceUnavailable, 'The activity store is unavailable; try again shortly.');
  }
  return null;
}

const rethrowCoded = (error: unknown): never => {
  throw fromDomainError(error) ?? error;
};

/**
 * Converts expected failures where resolvers and subscribe functions throw
 * them, so Yoga passes them through as they are and only logs and masks the
 * unexpected ones. Registered by builder.ts as 'domainErrors'.
 */
export class DomainErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    _fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    // A property read (exposed fields) throws nothing of ours; left bare, the executor reads it directly.
    return resolver === defaultFieldResolver ? resolver : guarded(resolver);
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

/**
 * Yoga's error masking, knowing the expected failures that reach it by
 * another road (an error raised inside a subscription stream): no Redis
 * internals ever leak.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = (error as { originalError?: unknown }).originalError ?? error;
  const coded = fromDomainError(original);
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
  const afterExecute = {
    onExecuteDone: ({ result }: { result: ExecutionResult | AsyncIterable<ExecutionResult> }) => {
      if (isAsyncIterable(result) || result.data !== undefined) return;
      for (const error of result.errors ?? []) {
        (error.extensions as Record<string, unknown>)['code'] ??= ErrorCode.badUserInput;
      }
    },
  };
  return { onExecute: () => afterExecute };
}
