import { parseArgs } from 'node:util';
import { mintToken, ROLES, type Role } from '../src/auth.ts';

/**
 * Mints an HS256 token for JWT_SECRET (or --secret):
 *   npm run token -- --role admin
 *   npm run token -- --role player --player-id 4f1c… --expires-in 2h
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    'player-id': { type: 'string' },
    subject: { type: 'string' },
    'expires-in': { type: 'string', default: '1h' },
    secret: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
  },
});

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

const secret = values.secret ?? process.env['JWT_SECRET'] ?? fail('Set JWT_SECRET or pass --secret.');
const role = (ROLES as readonly string[]).includes(values.role ?? '')
  ? (values.role as Role)
  : fail(`--role must be one of ${ROLES.join(', ')}`);
if (role === 'player' && !values['player-id']) fail('A player token needs --player-id.');

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
