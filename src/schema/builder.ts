import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { EventDetails } from '../activity/records.ts';
import type { Caller } from '../auth.ts';
import type { GraphQLContext } from '../context.ts';
import { codedError, DomainErrorsPlugin, ErrorCode } from './errors.ts';

/**
 * Scopes a caller can hold (see README, "Authentication"):
 * - authenticated: any verified token;
 * - player / service / admin: the token's role;
 * - playerSelf(ids): a player token whose player_id is the id (or every one of the ids).
 */
interface AuthScopes {
  authenticated: boolean;
  player: boolean;
  service: boolean;
  admin: boolean;
  playerSelf: string | readonly string[];
}

/** The scopes a caller holds; Pothos' scope-auth and the up-front check (protections/operation-gate.ts) both read them. */
export function callerScopes(caller: Caller | null) {
  return {
    authenticated: caller !== null,
    player: caller?.role === 'player',
    service: caller?.role === 'service',
    admin: caller?.role === 'admin',
    playerSelf: (playerIds: string | readonly string[]) =>
      caller?.role === 'player' && [playerIds].flat().every((playerId) => playerId === caller.playerId),
  };
}

/** Whether a field's scope map (any one scope suffices, as in scope-auth) lets this caller in. */
export function grants(required: Partial<AuthScopes>, caller: Caller | null): boolean {
  const held = callerScopes(caller);
  return Object.entries(required).some(([scope, wanted]) => {
    const holding = held[scope as keyof AuthScopes];
    if (typeof holding === 'function') return holding(wanted as string | readonly string[]);
    return wanted === true && holding;
  });
}

/** The refusal for a caller a field does not let in: UNAUTHENTICATED without a valid token, FORBIDDEN otherwise. */
export function unauthorized(caller: Caller | null, authError: string | null) {
  return caller === null
    ? codedError(ErrorCode.unauthenticated, authError ?? 'A bearer token is required')
    : codedError(ErrorCode.forbidden, `A ${caller.role} token may not do this`);
}

// Registered here, explicitly, before the builder that names it.
SchemaBuilder.registerPlugin('domainErrors', DomainErrorsPlugin);

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    JSONObject: { Input: EventDetails; Output: EventDetails };
  };
}>({
  plugins: [ScopeAuthPlugin, 'domainErrors'],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: ({ caller }) => callerScopes(caller),
    unauthorizedError: (_parent, { caller, authError }) => unauthorized(caller, authError),
  },
});

// Every root field needs a verified caller at least; fields narrow it further.
// A new field is therefore never open to anonymous callers by accident.
builder.queryType({ authScopes: { authenticated: true } });
builder.mutationType({ authScopes: { authenticated: true } });
builder.subscriptionType({ authScopes: { authenticated: true } });

/** Who may act for a player (or players): the player itself, or the game server. */
export const actAsPlayer = (playerIds: string | readonly string[]) => ({ service: true, playerSelf: playerIds });
/** Who may read a player's data: the player itself, the game server and admins. */
export const readPlayer = (playerId: string) => ({ service: true, admin: true, playerSelf: playerId });
