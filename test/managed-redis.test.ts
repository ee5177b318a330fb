import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { mintToken } from '../src/auth.ts';
import { loadConfig } from '../src/config.ts';
import { clusterConnection, describeRedis, parseRedisNode, redactUrl } from '../src/redis.ts';
import { LocalRedisServer, type LocalRedisTls } from '../src/redis-server.ts';
import { TEST_JWT_SECRET } from './support/harness.ts';

/**
 * Managed Redis: TLS (rediss://) with a private CA and an ACL user on a
 * single server; credentials and TLS in REDIS_CLUSTER_NODES entries. (The
 * password-protected cluster itself is exercised by failover.test.ts.)
 */

const USER = 'activity-api';
const PASSWORD = 'tls-password-for-tests-only-51c9';
const run = promisify(execFile);

let dir: string;
let tls: LocalRedisTls;
let server: LocalRedisServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'activity-tls-'));
  tls = { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'redis.pem'), keyFile: join(dir, 'redis.key') };
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  // A throwaway CA, and a certificate for 127.0.0.1 signed by it.
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'redis.key',
    '-out',
    'redis.csr',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    'x509',
    '-req',
    '-in',
    'redis.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'redis.pem',
  );
  server = await LocalRedisServer.start(
    'redis-server',
    ['--user', 'default', 'off', '--user', USER, 'on', `>${PASSWORD}`, '~*', '&*', '+@all'],
    { tls },
  );
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const tlsUrl = (user = USER, password = PASSWORD) => `rediss://${user}:${password}@127.0.0.1:${server.port}`;

async function tryService(env: Record<string, string>) {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    REDIS_CONNECT_TIMEOUT_MS: '2000',
    ACTIVITY_REAPER_INTERVAL_SECONDS: '3600',
    ...env,
  });
  const app = createApp(config);
  await app.start(0, '127.0.0.1');
  return app;
}

describe('a TLS Redis with an ACL user (rediss://user:password@host)', () => {
  it('serves through it when REDIS_TLS_CA_FILE names the CA', async () => {
    const app = await tryService({ REDIS_URL: tlsUrl(), REDIS_TLS_CA_FILE: tls.caFile });
    try {
      const response = await app.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await mintToken(TEST_JWT_SECRET, { role: 'service' })}`,
        },
        body: JSON.stringify({ query: 'mutation { trackLogin(playerId: "tls-1") { playerId } }' }),
      });
      expect(await response.json()).toEqual({ data: { trackLogin: { playerId: 'tls-1' } } });
      // Whatever ioredis may do by itself, the data really is on the TLS server.
      expect(await app.redis.call('ACL', 'WHOAMI')).toBe(USER);
      expect(await app.store.getOnlineCount()).toBe(1);
    } finally {
      await app.stop();
    }
  });

  it('refuses a server certificate from an unknown CA, naming the Redis', async () => {
    await expect(tryService({ REDIS_URL: tlsUrl() })).rejects.toThrow(
      new RegExp(
        `Cannot reach Redis at rediss://${USER}:\\*\\*\\*@127\\.0\\.0\\.1:${server.port} \\(TLS\\) \\(set REDIS_URL\\).*certificate`,
      ),
    );
  });

  it('refuses a wrong password without printing it', async () => {
    const attempt = tryService({ REDIS_URL: tlsUrl(USER, 'wrong-password-0000'), REDIS_TLS_CA_FILE: tls.caFile });
    await expect(attempt).rejects.toThrow(/WRONGPASS/);
    await expect(attempt).rejects.not.toThrow(/wrong-password-0000/);
  });
});

describe('REDIS_WAIT_REPLICAS', () => {
  it('needs a WAIT timeout below the command timeout, or the command would time out first', () => {
    expect(() =>
      loadConfig({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '1000', REDIS_COMMAND_TIMEOUT_MS: '1000' }),
    ).toThrow(/REDIS_WAIT_TIMEOUT_MS: must be below REDIS_COMMAND_TIMEOUT_MS/);
    expect(loadConfig({ REDIS_WAIT_REPLICAS: '1' }).redis).toMatchObject({ waitReplicas: 1, waitTimeoutMs: 500 });
    expect(loadConfig({}).redis.waitReplicas).toBe(0);
  });
});

describe('REDIS_CLUSTER_NODES entries', () => {
  it('take host:port, redis:// and rediss:// with credentials', () => {
    expect(parseRedisNode('10.0.0.1:7000')).toEqual({ host: '10.0.0.1', port: 7000, tls: false });
    expect(parseRedisNode('rediss://app:p%40ss@redis-1.example:6380')).toEqual({
      host: 'redis-1.example',
      port: 6380,
      username: 'app',
      password: 'p@ss',
      tls: true,
    });
    expect(clusterConnection(['rediss://app:secret@a:1', 'b:2', 'rediss://c:3'])).toMatchObject({
      username: 'app',
      password: 'secret',
      tls: true,
      nodes: [{ host: 'a' }, { host: 'b' }, { host: 'c' }],
    });
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'redis://app:secret@a:1, redis://app:secret@b:2' });
    expect(config.redis.clusterNodes).toEqual(['redis://app:secret@a:1', 'redis://app:secret@b:2']);
  });

  it('refuse bad entries and disagreeing credentials or schemes', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'http://a:1' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => clusterConnection(['redis://app:one@a:1', 'redis://app:two@b:2'])).toThrow(/different credentials/);
    expect(() => clusterConnection(['redis://a:1', 'rediss://b:2'])).toThrow(/mix redis:\/\/ and rediss:\/\//);
  });

  it('are described without their password', () => {
    expect(describeRedis({ url: '', clusterNodes: ['rediss://app:secret@a:1', 'b:2'] })).toBe(
      'the Redis Cluster at a:1,b:2 over TLS as app',
    );
    expect(describeRedis({ url: 'rediss://:secret@host:6380' })).toBe('Redis at rediss://:***@host:6380 (TLS)');
    expect(redactUrl('redis://app:secret@host:1')).toBe('redis://app:***@host:1');
    expect(redactUrl('redis://host:1')).toBe('redis://host:1');
  });
});
