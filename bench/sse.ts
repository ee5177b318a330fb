import { type Agent, type ClientRequest, request } from 'node:http';
import type { HttpTarget } from './load.ts';

/**
 * One `subscription { onlinePlayerCount }` over GraphQL over SSE (POST,
 * accept: text/event-stream), parsed by hand from the response stream:
 * frames are blank-line separated, `event: next` + `data: {...}`, and
 * `:` comment lines are keep-alive pings.
 */
export class CountSubscriber {
  /** Every count received, in order, and when each arrived (performance.now()). */
  readonly values: number[] = [];
  readonly arrivals: number[] = [];
  readonly errors: string[] = [];
  completed = false;
  readonly #request: ClientRequest;
  readonly #firstValue: Promise<void>;
  #closed = false;

  /** `onValue` is called for every count, with the time its chunk arrived. */
  constructor(
    target: HttpTarget,
    agent: Agent,
    body: Buffer,
    onValue: (subscriber: CountSubscriber, value: number, at: number) => void,
  ) {
    let first: { resolve: () => void; reject: (error: Error) => void };
    this.#firstValue = new Promise<void>((resolve, reject) => (first = { resolve, reject }));
    this.#firstValue.catch(() => {}); // surfaced by firstValue() and `errors`
    const fail = (message: string) => {
      if (this.#closed) return; // closing the request aborts it: not a failure
      this.errors.push(message);
      first.reject(new Error(message));
    };
    this.#request = request(
      {
        agent,
        host: target.url.hostname,
        port: target.url.port,
        path: target.url.pathname,
        method: 'POST',
        headers: { ...target.headers, accept: 'text/event-stream', 'content-length': body.length },
      },
      (res) => {
        if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) {
          fail(`HTTP ${res.statusCode} ${res.headers['content-type']}`);
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        let buffered = '';
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buffered += chunk.replaceAll('\r\n', '\n');
          for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
            const frame = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            const value = this.#parseFrame(frame);
            if (value === undefined) continue;
            this.values.push(value);
            this.arrivals.push(at);
            if (this.values.length === 1) first.resolve();
            onValue(this, value, at);
          }
        });
        res.on('end', () => {
          this.completed = true;
          if (this.values.length === 0) fail('stream ended before its first value');
        });
        res.on('error', (error) => fail(error.message));
      },
    );
    this.#request.on('error', (error) => fail(error.message));
    this.#request.end(body);
  }

  /** Resolves with the first value (the current count), rejects on failure or after `timeoutMs`. */
  async firstValue(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no first value within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.#firstValue, timeout]);
      return this.values[0]!;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.#closed = true;
    this.#request.destroy();
  }

  /** The count in a `next` frame; undefined for pings, `complete` and anything else. */
  #parseFrame(frame: string): number | undefined {
    let event = 'message';
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trimStart();
    }
    if (event === 'complete') this.completed = true;
    if (event !== 'next' || data === '') return undefined;
    const payload = JSON.parse(data) as { data?: { onlinePlayerCount?: number }; errors?: unknown[] };
    if (payload.errors?.length) {
      this.errors.push(JSON.stringify(payload.errors).slice(0, 300));
      return undefined;
    }
    return payload.data?.onlinePlayerCount;
  }
}
