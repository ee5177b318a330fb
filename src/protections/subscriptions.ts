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

/**
 * The stream as it is until `expiresAt`; then one UNAUTHENTICATED error and
 * the end. A plain iterator over the source (no Repeater): every delivered
 * value passes through it, so it allocates nothing per value but the
 * promise next() returns, and keeps nothing once a value is out.
 * Consumers (SSE, graphql-ws) pull one value at a time.
 */
export function untilExpiry(
  source: AsyncIterable<ExecutionResult>,
  expiresAt: number | null,
  release: () => void,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  /** The expiry error, when it came while nobody was waiting: the next next() answers it. */
  let expiry: ExecutionResult | null = null;
  /** The next() waiting for the source, settled by the source or by the expiry, whichever comes first. */
  let waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  const done = (): IteratorResult<ExecutionResult> => ({ value: undefined, done: true });

  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    release();
    iterator.return?.().catch(() => {});
  };
  const expire = () => {
    const error = { errors: [codedError(ErrorCode.unauthenticated, 'The token has expired')] };
    const resolve = waiting;
    if (!resolve) {
      expiry = error;
      return;
    }
    waiting = null;
    finish();
    resolve({ value: error, done: false });
  };
  const arm = () => {
    if (expiresAt === null) return;
    const left = expiresAt - Date.now();
    timer = setTimeout(() => (Date.now() < expiresAt ? arm() : expire()), Math.max(0, Math.min(left, MAX_TIMER_MS)));
  };
  arm();

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (expiry) {
        const value = expiry;
        expiry = null;
        finish();
        return Promise.resolve({ value, done: false });
      }
      if (finished) return Promise.resolve(done());
      return new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
        waiting = resolve;
        iterator.next().then(
          (result) => {
            if (waiting !== resolve) return; // the expiry answered this next() already
            waiting = null;
            if (result.done) finish();
            resolve(result);
          },
          (error: unknown) => {
            if (waiting !== resolve) return;
            waiting = null;
            finish();
            reject(error);
          },
        );
      });
    },
    return() {
      finish();
      const resolve = waiting;
      waiting = null;
      resolve?.(done());
      return Promise.resolve(done());
    },
    throw(error: unknown) {
      finish();
      return Promise.reject(error);
    },
  };
}
