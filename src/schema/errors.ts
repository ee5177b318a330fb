import { GraphQLError } from 'graphql';
import { isAsyncIterable, maskError as maskUnexpectedError, type Plugin } from 'graphql-yoga';
import { InvalidInputError, StoreUnavailableError } from '../activity/errors.ts';

export const ErrorCode = {
  badUserInput: 'BAD_USER_INPUT',
  serviceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;

function withCode(error: unknown, message: string, extensions: Record<string, unknown>): GraphQLError {
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions,
  });
}

/**
 * Turns the Redis layer's expected failures into coded GraphQL errors and
 * masks everything else (Yoga's default), so no Redis internals leak.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof InvalidInputError) {
    return withCode(error, original.message, { code: ErrorCode.badUserInput, field: original.field });
  }
  if (original instanceof StoreUnavailableError) {
    return withCode(error, 'The activity store is unavailable; try again shortly.', {
      code: ErrorCode.serviceUnavailable,
    });
  }
  return maskUnexpectedError(error, message, isDev);
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
