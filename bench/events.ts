/** Realistic gameplay events, generated deterministically (same run, same events). */

export type GameplayType =
  | 'trade_buy'
  | 'trade_sell'
  | 'combat_attack'
  | 'combat_defend'
  | 'sector_move'
  | 'dock'
  | 'undock'
  | 'planet_land'
  | 'warp';

export interface GeneratedEvent {
  playerId: string;
  /** The store's spelling (trade_buy); GraphQL's enum value is its upper case. */
  eventType: GameplayType;
  details: Record<string, unknown>;
}

/** How often each type occurs, roughly as a trading game plays. */
const MIX: readonly [GameplayType, number][] = [
  ['sector_move', 30],
  ['trade_buy', 18],
  ['trade_sell', 15],
  ['combat_attack', 9],
  ['combat_defend', 5],
  ['dock', 9],
  ['undock', 9],
  ['planet_land', 3],
  ['warp', 2],
];
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);
const COMMODITIES = ['ore', 'organics', 'equipment', 'fuel', 'colonists'];
const WEAPONS = ['photon_torpedo', 'fighter_wing', 'quasar_cannon', 'mine'];

/** mulberry32: a tiny seeded PRNG, so runs are comparable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function eventGenerator(seed = 42): (playerId: string) => GeneratedEvent {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  const pickType = (): GameplayType => {
    let roll = random() * MIX_TOTAL;
    for (const [type, weight] of MIX) {
      roll -= weight;
      if (roll < 0) return type;
    }
    return 'sector_move';
  };

  return (playerId) => {
    const eventType = pickType();
    const sector = int(1, 5000);
    let details: Record<string, unknown>;
    switch (eventType) {
      case 'trade_buy':
      case 'trade_sell': {
        const quantity = int(1, 500);
        const unitPrice = int(500, 9_000) / 100;
        details = {
          commodity: pick(COMMODITIES),
          quantity,
          unit_price: unitPrice,
          total_value: Math.round(quantity * unitPrice * 100) / 100,
          port_id: int(1, 800),
          sector_id: sector,
        };
        break;
      }
      case 'combat_attack':
        details = {
          target_id: `player-${int(0, 9999)}`,
          weapon: pick(WEAPONS),
          damage: int(1, 2500),
          sector_id: sector,
        };
        break;
      case 'combat_defend':
        details = {
          attacker_id: `player-${int(0, 9999)}`,
          damage_taken: int(0, 2500),
          shields_remaining: int(0, 5000),
        };
        break;
      case 'sector_move':
        details = { sector_id: sector, from_sector: int(1, 5000), turns_used: int(1, 3) };
        break;
      case 'dock':
      case 'undock':
        details = { port_id: int(1, 800), sector_id: sector };
        break;
      case 'planet_land':
        details = { planet_id: int(1, 3000), sector_id: sector };
        break;
      case 'warp':
        details = { from_sector: sector, to_sector: int(1, 5000), fuel_used: int(10, 300) };
        break;
    }
    return { playerId, eventType, details };
  };
}

/** `count` events, one player after the other round the given ids (a game server's batch covers many players). */
export function eventStream(playerIds: readonly string[], seed = 42): (count: number) => GeneratedEvent[] {
  const next = eventGenerator(seed);
  let cursor = 0;
  return (count) =>
    Array.from({ length: count }, () => {
      const playerId = playerIds[cursor]!;
      cursor = (cursor + 1) % playerIds.length;
      return next(playerId);
    });
}
