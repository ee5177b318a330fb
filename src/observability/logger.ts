import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout. Authorization headers and connection
 * params never reach a log line, whatever a caller of the logger passes.
 * Written asynchronously (pino's sonic-boom with sync: false): lines logged
 * while a write is under way go out together in the next one instead of
 * one blocking write(2) per request line; pino flushes what is pending when
 * the process exits.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'player-activity-api' },
      redact: {
        paths: [
          'authorization',
          '*.authorization',
          'headers.authorization',
          '*.headers.authorization',
          'connectionParams',
          '*.connectionParams',
          'token',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}
