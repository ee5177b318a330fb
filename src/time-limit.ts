/** What withinMs rejects with when the work did not settle in time. */
export class TimeLimitExceeded extends Error {
  override name = 'TimeLimitExceeded';
}

/** `pending`, or a TimeLimitExceeded after `ms`; the timer is cleared either way and never holds the process. */
export function withinMs<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitExceeded(`no answer within ${ms} ms`)), ms).unref();
  });
  return Promise.race([pending, expired]).finally(() => clearTimeout(timer));
}
