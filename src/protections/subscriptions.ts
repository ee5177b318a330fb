import { Repeater } from '@repeaterjs/repeater';
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.ts';
import { codedError, ErrorCode } from '../schema/errors.ts';

// setTimeout's ceiling (about 24.8 days); a token living longer is checked again then.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Subscriptions over SSE and graphql-ws alike: at most `maxOpen` open on
 * this instance (TOO_MANY_SUBSCRIPTIONS beyond), and each one ends with an
 * UNAUTHENTICATED error when the token it was opened with expires.
 */
export function useSubscriptionLimits({ maxOpen }: { maxOpen: number }): Plugin<GraphQLContext> {
  let open = 0;
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      if (open >= maxOpen) {
        setResultAndStopExecution({
          errors: [
            codedError(
              ErrorCode.tooManySubscriptions,
              `This instance holds its most subscriptions (${maxOpen}, MAX_SUBSCRIPTIONS); try again later.`,
            ),
          ],
        });
        return undefined;
      }
      open += 1;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        open -= 1;
      };
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) {
            release();
            return;
          }
          setResult(untilExpiry(result, (args.contextValue as GraphQLContext).credentialsExpireAt, release));
        },
        onSubscribeError: release,
      };
    },
  };
}

/** The stream as it is until `expiresAt`; then one UNAUTHENTICATED error and the end. */
export function untilExpiry(
  source: AsyncIterable<ExecutionResult>,
  expiresAt: number | null,
  release: () => void,
): AsyncIterableIterator<ExecutionResult> {
  return new Repeater<ExecutionResult>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (expiresAt === null) return;
      const left = expiresAt - Date.now();
      timer = setTimeout(
        () => {
          if (Date.now() < expiresAt) return arm();
          void push({ errors: [codedError(ErrorCode.unauthenticated, 'The token has expired')] }).then(() => stop());
        },
        Math.max(0, Math.min(left, MAX_TIMER_MS)),
      );
    };
    arm();
    let stopped = false;
    void stop.then(() => {
      stopped = true;
      clearTimeout(timer);
      release();
      void iterator.return?.();
    });
    // No Promise.race with `stop` per value: each race would leave one more
    // reaction on `stop`, pending for the subscription's whole life (memory
    // growing with every count delivered). Stopping returns the source
    // (above), which settles the next() under way.
    try {
      while (!stopped) {
        const next = await iterator.next();
        if (next.done || stopped) break;
        await push(next.value);
      }
      stop();
    } catch (error) {
      stop(error);
    }
  });
}
