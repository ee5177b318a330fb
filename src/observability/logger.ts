import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout. Authorization headers and connection
 * params never reach a log line, whatever a caller of the logger passes.
 */
export function createLogger(level: string): Logger {
  return pino({
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
  });
}
