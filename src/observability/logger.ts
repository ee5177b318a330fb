import { type Logger, pino } from 'pino';

export type { Logger };

const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 250;

/**
 * Structured JSON logs on stdout. Authorization headers and connection
 * params never reach a log line, whatever a caller of the logger passes
 * (the per-request access line, whose fields are fixed and hold no secret,
 * is written by a child without redaction: see request-log.ts).
 * Written asynchronously and in batches (pino's sonic-boom: sync: false,
 * 4 KiB or 250 ms, whichever comes first) instead of one blocking write(2)
 * per request line, which cost ~8 % of a single call's CPU; pino flushes
 * what is pending when the process exits (a SIGKILL loses at most 250 ms).
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
    pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }),
  );
}
