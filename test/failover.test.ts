import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode, ExecutionResult } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterMode } from '../src/activity/redis/cluster.ts';
import { type App, createApp } from '../src/app.ts';
import { mintToken } from '../src/auth.ts';
import { loadConfig } from '../src/config.ts';
import { eventually } from './support/eventually.ts';
import { errorCodes, TEST_JWT_SECRET } from './support/harness.ts';
import { PlayerSession, TrackActivity, TrackLogin } from './support/operations.ts';
import { type ReplicatedCluster, startReplicatedCluster } from './support/replicated-cluster.ts';

/**
 * A master of a 3 + 3 Redis Cluster (ACL user, as managed clusters are) is
 * killed while game servers keep writing. Its replica takes over, and the
 * service heals by itself: meanwhile every failed call answers
 * SERVICE_UNAVAILABLE (never hangs, never another code), afterwards writes
 * succeed again. Acknowledged writes are then counted in Redis: with
 * REDIS_WAIT_REPLICAS=1 an acknowledged write is on the replica before the
 * caller hears of it, so none can be lost.
 */

const PLAYERS = 24;
const WRITERS = 6;
const NODE_TIMEOUT_MS = 1000;

let cluster: ReplicatedCluster | undefined;
let app: App | undefined;
afterEach(async () => {
  await app?.stop();
  await cluster?.stop();
  app = cluster = undefined;
});

async function startService(env: Record<string, string>) {
  cluster = await startReplicatedCluster({ nodeTimeoutMs: NODE_TIMEOUT_MS });
  const config = loadConfig({
    NODE_ENV: 'test',
    REDIS_CLUSTER_NODES: cluster.nodeUrls.join(','),
    REDIS_COMMAND_TIMEOUT_MS: '500',
    REDIS_CONNECT_TIMEOUT_MS: '500',
    REDIS_MAX_RECONNECT_DELAY_MS: '200',
    JWT_SECRET: TEST_JWT_SECRET,
    ACTIVITY_REAPER_INTERVAL_SECONDS: '3600',
    ...env,
  });
  app = createApp(config);
  await app.start(0, '127.0.0.1');
  const executor = buildHTTPExecutor({
    fetch: app.yoga.fetch,
    endpoint: 'http://yoga/graphql',
    headers: { authorization: `Bearer ${await mintToken(TEST_JWT_SECRET, { role: 'service' })}` },
  });
  const run = async <TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) =>
    (await executor({
      document: document as DocumentNode,
      variables: variables as Record<string, unknown>,
    })) as ExecutionResult<TData>;
  return { cluster, run };
}

interface Outcome {
  failoverMs: number;
  errorCodes: Set<unknown>;
  slowestCallMs: number;
  acknowledged: number;
  lost: number;
}

/** Writes from WRITERS loops, kills the master of player 0's slot, and counts. */
async function killMasterUnderLoad(env: Record<string, string>): Promise<Outcome> {
  const { cluster, run } = await startService(env);
  const players = Array.from({ length: PLAYERS }, (_, index) => `failover-${index}`);
  for (const playerId of players) {
    await eventually(async () => expect((await run(TrackLogin, { playerId })).errors).toBeUndefined(), {
      timeoutMs: 20_000,
    });
  }
  const { master: victim, replica: heir } = await cluster.ownerOf(clusterMode.player(players[0]!).session);
  const onVictim = new Set<string>();
  for (const playerId of players) {
    if ((await cluster.ownerOf(clusterMode.player(playerId).session)).master === victim) onVictim.add(playerId);
  }

  const acked = new Map(players.map((playerId) => [playerId, 0]));
  const codes = new Set<unknown>();
  let slowestCallMs = 0;
  let killedAt = 0;
  let healedAt = 0;
  let stopping = false;
  const writer = async (offset: number) => {
    for (let n = offset; !stopping; n += WRITERS) {
      const playerId = players[n % PLAYERS]!;
      const started = Date.now();
      const result = await run(TrackActivity, { playerId, eventType: 'DOCK' });
      slowestCallMs = Math.max(slowestCallMs, Date.now() - started);
      if (result.errors) {
        for (const code of errorCodes(result)) codes.add(code);
        await new Promise((resolve) => setTimeout(resolve, 20)); // a game server backs off a little
      } else {
        acked.set(playerId, acked.get(playerId)! + 1);
        if (killedAt && !healedAt && onVictim.has(playerId) && started > killedAt) healedAt = Date.now();
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, offset) => writer(offset));
  try {
    await waitFor(() => [...acked.values()].reduce((a, b) => a + b, 0) >= 200, 30_000, 'writes before the kill');
    killedAt = Date.now();
    await victim.kill();
    // As a supervisor would, bring the dead node back, once its replica has
    // taken over (earlier, it would come back an empty master): it rejoins as
    // the new master's replica, which REDIS_WAIT_REPLICAS=1 needs.
    const heirConnection = cluster.connect(heir);
    try {
      await waitForAsync(
        async () => ((await heirConnection.call('ROLE')) as string[])[0] === 'master',
        20_000,
        'the replica to take over',
      );
    } finally {
      heirConnection.disconnect();
    }
    await victim.restart();
    await waitFor(() => healedAt > 0, 20_000, 'writes to the killed master’s slots to succeed again');
    // A little more traffic on the new master, then stop.
    const after = [...acked.values()].reduce((a, b) => a + b, 0);
    await waitFor(
      () => [...acked.values()].reduce((a, b) => a + b, 0) >= after + 100,
      30_000,
      'writes after the failover',
    );
  } finally {
    stopping = true;
    await Promise.all(writers);
  }

  let lost = 0;
  for (const playerId of players) {
    const { data } = await eventually(
      async () => {
        const read = await run(PlayerSession, { playerId });
        expect(read.errors).toBeUndefined();
        return read;
      },
      { timeoutMs: 20_000 },
    );
    // A call that failed may still have been applied (stored > acked); only a shortfall is a loss.
    lost += Math.max(0, acked.get(playerId)! - (data?.playerSession?.actionsCount ?? 0));
  }
  const acknowledged = [...acked.values()].reduce((a, b) => a + b, 0);
  const outcome = { failoverMs: healedAt - killedAt, errorCodes: codes, slowestCallMs, acknowledged, lost };
  console.log(
    `failover ${JSON.stringify(env)}: served again ${outcome.failoverMs} ms after the kill; ` +
      `${acknowledged} writes acknowledged, ${lost} of them lost; slowest call ${slowestCallMs} ms; codes ${[...codes].join(',') || 'none'}`,
  );
  return outcome;
}

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  await eventually(
    async () => {
      if (!(await condition().catch(() => false))) throw new Error(`timed out waiting for ${what}`);
    },
    { timeoutMs, intervalMs: 50 },
  );
}

const waitFor = (condition: () => boolean, timeoutMs: number, what: string) =>
  waitForAsync(async () => condition(), timeoutMs, what);

describe('failover of a Redis Cluster master (3 masters + 3 replicas, ACL user)', () => {
  it('heals by itself, answering SERVICE_UNAVAILABLE meanwhile; counts acknowledged writes lost', async () => {
    const outcome = await killMasterUnderLoad({});
    expect(outcome.failoverMs).toBeGreaterThan(0);
    expect([...outcome.errorCodes]).toEqual(['SERVICE_UNAVAILABLE']);
    // Bounded by the command and connect timeouts: nothing waits for the failover.
    expect(outcome.slowestCallMs).toBeLessThan(5_000);
    // The loss is counted over writes on both sides of the kill (printed above; see README).
    expect(outcome.acknowledged).toBeGreaterThanOrEqual(300);
  }, 90_000);

  it('with REDIS_WAIT_REPLICAS=1 loses no acknowledged write', async () => {
    const outcome = await killMasterUnderLoad({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '300' });
    expect([...outcome.errorCodes]).toEqual(['SERVICE_UNAVAILABLE']);
    expect(outcome.slowestCallMs).toBeLessThan(5_000);
    expect(outcome.lost).toBe(0);
  }, 90_000);

  it('with REDIS_WAIT_REPLICAS=1 refuses a write no replica took, and accepts it once one does', async () => {
    // Timeouts with room for a busy machine: a replica that is merely slow must not look stalled.
    const { cluster, run } = await startService({
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '2000',
      REDIS_COMMAND_TIMEOUT_MS: '3000',
    });
    const playerId = 'stalled-replica';
    await eventually(async () => expect((await run(TrackLogin, { playerId })).errors).toBeUndefined(), {
      timeoutMs: 20_000,
    });
    const { replica } = await cluster.ownerOf(clusterMode.player(playerId).session);
    replica.pause();
    try {
      expect(errorCodes(await run(TrackActivity, { playerId, eventType: 'DOCK' }))).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      replica.resume();
    }
    await expect
      .poll(async () => (await run(TrackActivity, { playerId, eventType: 'DOCK' })).errors, { timeout: 20_000 })
      .toBeUndefined();
  }, 90_000);
});
