import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { EventDetails } from '../activity/records.ts';
import type { GraphQLContext } from '../context.ts';
import { ErrorCode } from './errors.ts';

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
    authScopes: ({ caller }) => ({
      authenticated: caller !== null,
      player: caller?.role === 'player',
      service: caller?.role === 'service',
      admin: caller?.role === 'admin',
      playerSelf: (playerIds) =>
        caller?.role === 'player' && [playerIds].flat().every((playerId) => playerId === caller.playerId),
    }),
    unauthorizedError: (_parent, { caller, authError }) =>
      caller === null
        ? new GraphQLError(authError ?? 'A bearer token is required', {
            extensions: { code: ErrorCode.unauthenticated },
          })
        : new GraphQLError(`A ${caller.role} token may not do this`, {
            extensions: { code: ErrorCode.forbidden },
          }),
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
