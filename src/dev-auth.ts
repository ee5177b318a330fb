import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintToken, randomSecret } from './auth.ts';
import type { Config } from './config.ts';

export const DEMO_PLAYER_ID = 'demo-player';

/** Shortest HS256 secret accepted anywhere (JWT_SECRET, --secret): 256 bits. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Where the development server keeps its secret, so that restarts keep the
 * tokens valid and `npm run token` mints tokens it accepts. Inside
 * node_modules/.cache: per checkout, never committed, gone with a clean install.
 * DEV_JWT_SECRET_FILE overrides it.
 */
export const developmentSecretFile = (env: NodeJS.ProcessEnv = process.env): string =>
  env['DEV_JWT_SECRET_FILE'] ??
  fileURLToPath(new URL('../node_modules/.cache/player-activity-api/dev-jwt-secret', import.meta.url));

/** Reads the development secret, making it (owner-only) the first time. */
export function developmentSecret(file = developmentSecretFile()): string {
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= MIN_SECRET_LENGTH) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomSecret();
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process made it in between: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}

/**
 * Outside production, with neither JWT_SECRET nor JWT_JWKS_URL set, the
 * service uses the development secret and hands out ready-to-use tokens, so
 * a newcomer can try the API in GraphiQL and the admin console (which
 * offers the admin token) at once. (Production refuses to
 * start without one of them: see config.ts.)
 */
export async function withDevelopmentAuth(
  config: Config,
  info: (message: string) => void,
  file = developmentSecretFile(),
): Promise<Config> {
  if (config.production || config.auth.secret || config.auth.jwksUrl) return config;
  const secret = developmentSecret(file);
  const tokens = {
    admin: await mintToken(secret, { role: 'admin', subject: 'dev-admin', expiresIn: '12h' }),
    service: await mintToken(secret, { role: 'service', subject: 'dev-game-server', expiresIn: '12h' }),
    player: await mintToken(secret, { role: 'player', playerId: DEMO_PLAYER_ID, expiresIn: '12h' }),
  };
  info(
    [
      `No JWT_SECRET or JWT_JWKS_URL set: using the development secret in ${file}.`,
      'Send one of these as the header  Authorization: Bearer <token>  (valid 12 h; more with `npm run token -- --help`):',
      '',
      `admin:`,
      tokens.admin,
      '',
      `service:`,
      tokens.service,
      '',
      `player (${DEMO_PLAYER_ID}):`,
      tokens.player,
      '',
    ].join('\n'),
  );
  return { ...config, auth: { ...config.auth, secret }, developmentAdminToken: tokens.admin };
}
