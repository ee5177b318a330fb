import { mintToken, randomSecret } from './auth.ts';
import type { Config } from './config.ts';

export const DEMO_PLAYER_ID = 'demo-player';

/**
 * Outside production, with neither JWT_SECRET nor JWT_JWKS_URL set, the
 * service makes a random secret for this run and hands out ready-to-use
 * tokens, so a newcomer can try the API in GraphiQL and the admin console
 * (which offers the admin token) at once. (Production
 * refuses to start without one of them: see config.ts.)
 */
export async function withDevelopmentAuth(
  config: Config,
  info: (message: string) => void,
): Promise<Config> {
  if (config.production || config.auth.secret || config.auth.jwksUrl) return config;
  const secret = randomSecret();
  const tokens = {
    admin: await mintToken(secret, { role: 'admin', subject: 'dev-admin', expiresIn: '12h' }),
    service: await mintToken(secret, { role: 'service', subject: 'dev-game-server', expiresIn: '12h' }),
    player: await mintToken(secret, { role: 'player', playerId: DEMO_PLAYER_ID, expiresIn: '12h' }),
  };
  info(
    [
      'No JWT_SECRET or JWT_JWKS_URL set: using a random development secret for this run.',
      'Send one of these as the header  Authorization: Bearer <token>  (valid 12 h):',
      `  admin:   ${tokens.admin}`,
      `  service: ${tokens.service}`,
      `  player (${DEMO_PLAYER_ID}): ${tokens.player}`,
    ].join('\n'),
  );
  return { ...config, auth: { ...config.auth, secret }, developmentAdminToken: tokens.admin };
}
