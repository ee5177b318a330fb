import { type ExecutionResult, type GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

// graphql-js appends these to unknown fields, arguments, types, enum values
// and input fields, in validation and in variable coercion alike.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

const strip = (errors: readonly (Error | GraphQLError)[] | undefined) => {
  for (const error of errors ?? []) {
    if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, '');
  }
};

const stripValidation = ({ result }: { result: readonly (Error | GraphQLError)[] }) => strip(result);

/**
 * Removes every "Did you mean …?" from every error, wherever graphql-js
 * raised it: a schema kept from introspection would otherwise be guessed
 * back one suggestion at a time.
 */
export function useHiddenSuggestions(): Plugin {
  const stripStream = { onNext: ({ result }: { result: ExecutionResult }) => strip(result.errors) };
  const stripResult = ({ result }: { result: ExecutionResult | AsyncIterable<ExecutionResult> }) => {
    if (isAsyncIterable(result)) return stripStream;
    strip(result.errors);
    return undefined;
  };
  // The same hooks for every operation: nothing per call to allocate.
  const afterExecute = { onExecuteDone: stripResult };
  const afterSubscribe = { onSubscribeResult: stripResult };
  return {
    onValidate: () => stripValidation,
    onExecute: () => afterExecute,
    onSubscribe: () => afterSubscribe,
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
