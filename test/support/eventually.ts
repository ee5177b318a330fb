/**
 * The suite's one way to wait for something: run `check` until it returns
 * without throwing (an `expect` inside it, or an explicit throw), and return
 * what it returned; after `timeoutMs` rethrow its last failure. Tests wait for
 * a condition, never for a fixed time.
 */
export interface EventuallyOptions {
  /** How long the condition may take to hold; a failing test waits this long. */
  timeoutMs?: number;
  /** How long between two checks. */
  intervalMs?: number;
}

export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 20 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
