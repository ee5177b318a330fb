import { z } from 'zod';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  REDIS_MAX_RECONNECT_DELAY_MS: z.coerce.number().int().positive().default(1000),
  GRAPHIQL: z.stringbool().optional(),
});

export interface Config {
  production: boolean;
  host: string;
  port: number;
  redis: {
    url: string;
    /** False when REDIS_URL was left unset and the default is in use. */
    explicit: boolean;
    commandTimeoutMs: number;
    connectTimeoutMs: number;
    maxReconnectDelayMs: number;
  };
  graphiql: boolean;
}

/** Reads the environment once; throws a message that names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return {
    production,
    host: e.HOST,
    port: e.PORT,
    redis: {
      url: e.REDIS_URL ?? DEFAULT_REDIS_URL,
      explicit: e.REDIS_URL !== undefined,
      commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
      maxReconnectDelayMs: e.REDIS_MAX_RECONNECT_DELAY_MS,
    },
    graphiql: e.GRAPHIQL ?? !production,
  };
}
