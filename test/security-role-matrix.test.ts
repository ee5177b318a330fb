import { beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';
import { errorCodes, useTestService } from './support/harness.ts';
import {
  DailyStats,
  PlayerSession,
  PlayerSummary,
  RecentEvents,
  TrackActivities,
  TrackActivity,
  TrackHeartbeat,
  TrackLogin,
  TrackLogout,
} from './support/operations.ts';
import { type AnyDocument, anyDocument, gql, NOW, OTHER, OWN, securityKit } from './support/security.ts';

/** Issue 3: who may call what. Every refused call is shown to have written nothing, every allowed write to write. */

const service = useTestService({}, NOW);
const { dump, seed, serviceToken, adminToken, playerToken } = securityKit(service);

type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';
type Kind = 'tracking' | 'read' | 'online count' | 'online ids' | 'game-wide';
type CallerName = 'player on own id' | 'player on another id' | 'player' | 'service' | 'admin' | 'no token';

interface Operation {
  field: string;
  kind: Kind;
  document: AnyDocument;
  variables(playerId: string): Record<string, unknown>;
}

const schemaHas = (type: 'query' | 'mutation', field: string) =>
  (type === 'query' ? schema.getQueryType() : schema.getMutationType())?.getFields()[field] !== undefined;

const OPERATIONS: Operation[] = [
  { field: 'trackLogin', kind: 'tracking', document: anyDocument(TrackLogin), variables: (playerId) => ({ playerId }) },
  {
    field: 'trackActivity',
    kind: 'tracking',
    document: anyDocument(TrackActivity),
    variables: (playerId) => ({ playerId, eventType: 'TRADE_BUY', details: { total_value: 5 } }),
  },
  {
    field: 'trackActivities',
    kind: 'tracking',
    document: anyDocument(TrackActivities),
    variables: (playerId) => ({ events: [{ playerId, eventType: 'WARP' }] }),
  },
  {
    field: 'trackLogout',
    kind: 'tracking',
    document: anyDocument(TrackLogout),
    variables: (playerId) => ({ playerId }),
  },
  ...(schemaHas('mutation', 'trackHeartbeat')
    ? [
        {
          field: 'trackHeartbeat',
          kind: 'tracking' as const,
          document: anyDocument(TrackHeartbeat),
          variables: (playerId: string) => ({ playerId }),
        },
      ]
    : []),
  {
    field: 'playerSession',
    kind: 'read',
    document: anyDocument(PlayerSession),
    variables: (playerId) => ({ playerId }),
  },
  {
    field: 'playerSummary',
    kind: 'read',
    document: anyDocument(PlayerSummary),
    variables: (playerId) => ({ playerId }),
  },
  {
    field: 'recentEvents',
    kind: 'read',
    document: anyDocument(RecentEvents),
    variables: (playerId) => ({ playerId, limit: 10 }),
  },
  {
    field: 'dailyStats',
    kind: 'read',
    document: anyDocument(DailyStats),
    variables: (playerId) => ({ playerId, date: '2026-11-23' }),
  },
  {
    field: 'onlinePlayerCount',
    kind: 'online count',
    document: gql('query Count { onlinePlayerCount }'),
    variables: () => ({}),
  },
  {
    field: 'onlinePlayerIds',
    kind: 'online ids',
    document: gql('query Ids { onlinePlayerIds { playerIds } }'),
    variables: () => ({}),
  },
  {
    field: 'globalDailyStats',
    kind: 'game-wide',
    document: gql('query GameDay { globalDailyStats(date: "2026-11-23") { activePlayers sessions peakOnline } }'),
    variables: () => ({}),
  },
  {
    field: 'onlineCountHistory',
    kind: 'game-wide',
    document: gql('query GameHistory { onlineCountHistory { minute count } }'),
    variables: () => ({}),
  },
];

/** The table. Operations without a player argument have one "player" column. */
const EXPECTED: Record<Kind, Partial<Record<CallerName, Outcome>>> = {
  tracking: {
    'player on own id': 'ok',
    'player on another id': 'FORBIDDEN',
    service: 'ok',
    admin: 'FORBIDDEN',
    'no token': 'UNAUTHENTICATED',
  },
  read: {
    'player on own id': 'ok',
    'player on another id': 'FORBIDDEN',
    service: 'ok',
    admin: 'ok',
    'no token': 'UNAUTHENTICATED',
  },
  'online count': { player: 'ok', service: 'ok', admin: 'ok', 'no token': 'UNAUTHENTICATED' },
  'online ids': { player: 'FORBIDDEN', service: 'ok', admin: 'ok', 'no token': 'UNAUTHENTICATED' },
  'game-wide': { player: 'FORBIDDEN', service: 'ok', admin: 'ok', 'no token': 'UNAUTHENTICATED' },
};

/** Each caller's token (player p-1 throughout) and the player id it acts on. */
const CALLERS: Record<CallerName, { token: () => Promise<string | null>; target: string }> = {
  'player on own id': { token: () => playerToken(OWN), target: OWN },
  'player on another id': { token: () => playerToken(OWN), target: OTHER },
  player: { token: () => playerToken(OWN), target: OWN },
  service: { token: serviceToken, target: OTHER },
  admin: { token: adminToken, target: OTHER },
  'no token': { token: async () => null, target: OWN },
};

const MATRIX = OPERATIONS.flatMap((operation) =>
  Object.entries(EXPECTED[operation.kind]).map(([caller, outcome]) => ({
    field: operation.field,
    caller: caller as CallerName,
    outcome,
    operation,
  })),
);

describe(`authorization matrix (${MATRIX.length} cases)`, () => {
  beforeEach(seed);

  it('covers every query and mutation of the schema', () => {
    const rootFields = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ];
    expect(OPERATIONS.map((operation) => operation.field).sort()).toEqual(rootFields.sort());
  });

  it.each(MATRIX)('$field as $caller → $outcome', async ({ field, caller, outcome, operation }) => {
    const { token, target } = CALLERS[caller];
    const before = await dump();

    const result = await service.as(await token()).run(operation.document, operation.variables(target));

    const after = await dump();
    if (outcome === 'ok') {
      expect(result.errors).toBeUndefined();
      expect(result.data).toHaveProperty(field);
      // The positive control of "wrote nothing": allowed tracking calls do write, reads never do.
      if (operation.kind === 'tracking') expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    } else {
      expect(errorCodes(result)).toEqual([outcome]);
      expect(result.data?.[field] ?? null).toBeNull(); // nothing read leaks out either
      expect(after).toEqual(before);
    }
  });
});
