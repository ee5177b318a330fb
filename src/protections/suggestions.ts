import { type GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

// graphql-js appends these to unknown fields, arguments, types, enum values
// and input fields, in validation and in variable coercion alike.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

const strip = (errors: readonly (Error | GraphQLError)[] | undefined) => {
  for (const error of errors ?? []) {
    if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, '');
  }
};

/**
 * Removes every "Did you mean …?" from every error, wherever graphql-js
 * raised it: a schema kept from introspection would otherwise be guessed
 * back one suggestion at a time.
 */
export function useHiddenSuggestions(): Plugin {
  return {
    onValidate:
      () =>
      ({ result }) =>
        strip(result),
    onExecute: () => ({
      onExecuteDone: ({ result }) => {
        if (isAsyncIterable(result)) return { onNext: ({ result: next }) => strip(next.errors) };
        strip(result.errors);
        return undefined;
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult: ({ result }) => {
        if (isAsyncIterable(result)) return { onNext: ({ result: next }) => strip(next.errors) };
        strip(result.errors);
        return undefined;
      },
    }),
  };
}

/**
 * Refuses introspection (__schema, __type) in validation, on every
 * transport. (Yoga's own plugin keys on the HTTP request, which graphql-ws
 * operations do not have.)
 */
export function useNoIntrospection(): Plugin {
  return {
    onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
  };
}
