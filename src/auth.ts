import { randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

/** Who is calling, as a verified bearer token says. */
export type Caller =
  | { role: 'player'; subject: string; playerId: string }
  | { role: 'service'; subject: string }
  | { role: 'admin'; subject: string };

export const ROLES = ['player', 'service', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface AuthSettings {
  /** HS256 shared secret. */
  secret?: string;
  /** JWKS URL of the game's auth server (RS256 / ES256 keys). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

/** A token that is missing, malformed, badly signed, expired or without a valid role. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

const claims = z.discriminatedUnion('role', [
  z.object({ role: z.literal('player'), sub: z.string().min(1), player_id: z.string().min(1) }),
  z.object({ role: z.literal('service'), sub: z.string().min(1) }),
  z.object({ role: z.literal('admin'), sub: z.string().min(1) }),
]);

const BEARER = /^Bearer\s+(\S+)$/i;

/** A verified caller and when its token expires (ms since the epoch). */
export interface Credentials {
  caller: Caller;
  expiresAt: number;
}

export interface TokenVerifier {
  /** Verifies an Authorization header value ("Bearer …"), with the token's expiry (subscriptions end then); null when there is none. */
  credentialsFrom(authorization: string | null | undefined): Promise<Credentials | null>;
}

// Verifying a signature on every request is the largest fixed cost of a
// call; a token seen again within a minute is answered from memory (never
// past its own expiry).
const CACHE_MAX_TOKENS = 10_000;
const CACHE_TTL_MS = 60_000;

export function createTokenVerifier(settings: AuthSettings): TokenVerifier {
  const verified = new LRUCache<string, { caller: Caller; expiresAt: number }>({
    max: CACHE_MAX_TOKENS,
    ttl: CACHE_TTL_MS,
  });
  // Each key source accepts only its own algorithms: a shared secret never
  // verifies an RS256 token, nor a JWKS key an HS256 one (no alg confusion).
  const verifiers: { key: Uint8Array | JWTVerifyGetKey; options: JWTVerifyOptions }[] = [];
  const common: JWTVerifyOptions = {
    requiredClaims: ['exp', 'sub'],
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
  };
  if (settings.secret) {
    verifiers.push({ key: new TextEncoder().encode(settings.secret), options: { ...common, algorithms: ['HS256'] } });
  }
  if (settings.jwksUrl) {
    verifiers.push({
      key: createRemoteJWKSet(new URL(settings.jwksUrl)),
      options: { ...common, algorithms: ['RS256', 'ES256'] },
    });
  }
  if (verifiers.length === 0) throw new Error('JWT_SECRET or JWT_JWKS_URL is required');

  const verify = async (token: string): Promise<JWTPayload> => {
    let lastError: unknown;
    for (const { key, options } of verifiers) {
      try {
        const { payload } =
          key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
        return payload;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };

  const credentialsFrom = async (authorization: string | null | undefined): Promise<Credentials | null> => {
    if (authorization == null || authorization === '') return null;
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw new AuthenticationError('The Authorization header must be "Bearer <token>"');
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch (error) {
      throw new AuthenticationError(describeTokenError(error));
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) {
      throw new AuthenticationError('The token needs a role (player, service or admin), and a player_id for players');
    }
    const c = parsed.data;
    const caller: Caller =
      c.role === 'player'
        ? { role: 'player', subject: c.sub, playerId: c.player_id }
        : { role: c.role, subject: c.sub };
    const credentials = { caller, expiresAt: (payload.exp ?? 0) * 1000 };
    verified.set(token, credentials);
    return credentials;
  };
  return { credentialsFrom };
}

function describeTokenError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted`;
  return 'The token is not valid';
}

export interface TokenRequest {
  role: Role;
  subject?: string;
  playerId?: string;
  expiresIn?: string;
  issuer?: string;
  audience?: string;
}

/** Mints an HS256 token (development tokens, `npm run token`, tests). */
export async function mintToken(secret: string, request: TokenRequest): Promise<string> {
  const jwt = new SignJWT({
    role: request.role,
    ...(request.role === 'player' ? { player_id: request.playerId ?? request.subject } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject ?? request.playerId ?? request.role)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '1h');
  if (request.issuer) jwt.setIssuer(request.issuer);
  if (request.audience) jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

export const randomSecret = () => randomBytes(32).toString('base64url');
