import { parseArgs } from 'node:util';
import { mintToken, ROLES, type Role } from '../src/auth.ts';
import { secretWeakness } from '../src/config.ts';
import { developmentSecret, developmentSecretFile, MIN_SECRET_LENGTH } from '../src/dev-auth.ts';

const HELP = `Mints an HS256 bearer token for the Player Activity API.

  npm run token -- --role admin
  npm run token -- --role service --subject game-server-eu1 --expires-in 7d
  npm run token -- --role player --player-id 4f1c… --expires-in 2h

Options:
  --role ROLE          ${ROLES.join(' | ')} (required)
  --player-id ID       the player a player token acts as (required for --role player)
  --subject SUB        the token's subject (default: the player id or the role)
  --expires-in TIME    lifetime: 30m, 2h, 7d… (default 1h)
  --issuer ISS         iss claim (when the service sets JWT_ISSUER)
  --audience AUD       aud claim (when the service sets JWT_AUDIENCE)
  --secret SECRET      HS256 secret, at least ${MIN_SECRET_LENGTH} characters (default: JWT_SECRET)
  -h, --help           this text

Secret: --secret, else JWT_SECRET, else (outside NODE_ENV=production) the
development server's own secret (${developmentSecretFile()}), so tokens
work against \`npm start\` out of the box.`;

const fail = (message: string): never => {
  console.error(`npm run token: ${message} (see --help)`);
  process.exit(2);
};

const parseCommandLine = () => {
  try {
    return parseArgs({
      options: {
        role: { type: 'string' },
        'player-id': { type: 'string' },
        subject: { type: 'string' },
        'expires-in': { type: 'string', default: '1h' },
        secret: { type: 'string' },
        issuer: { type: 'string' },
        audience: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
};
const { values } = parseCommandLine();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const secret = (() => {
  const given = values.secret ?? process.env['JWT_SECRET'];
  if (given !== undefined) {
    const weakness = secretWeakness(given);
    if (weakness) fail(`refusing a weak secret: it ${weakness}; the service refuses it too`);
    return given;
  }
  if (process.env['NODE_ENV'] === 'production')
    fail('set JWT_SECRET or pass --secret (NODE_ENV=production has no development secret)');
  console.error(`npm run token: no JWT_SECRET: using the development server's secret (${developmentSecretFile()})`);
  return developmentSecret();
})();
const role = (ROLES as readonly string[]).includes(values.role ?? '')
  ? (values.role as Role)
  : fail(`--role must be one of ${ROLES.join(', ')}`);
if (role === 'player' && !values['player-id']) fail('a player token needs --player-id');

try {
  console.log(
    await mintToken(secret, {
      role,
      ...(values.subject ? { subject: values.subject } : {}),
      ...(values['player-id'] ? { playerId: values['player-id'] } : {}),
      expiresIn: values['expires-in'],
      ...(values.issuer ? { issuer: values.issuer } : {}),
      ...(values.audience ? { audience: values.audience } : {}),
    }),
  );
} catch (error) {
  fail((error as Error).message);
}
