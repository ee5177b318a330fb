import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { freePort, LocalRedisServer, redisToolProblem } from '../src/redis-server.ts';
import { eventually } from './support/eventually.ts';
import { startTestService, TEST_JWT_SECRET, type TestService } from './support/harness.ts';
import { MAIN_COMMAND, startMain } from './support/main-process.ts';

/**
 * How the service is deployed and run: the README's commands, the
 * Dockerfile's, signals through npm, the operators' port, WebSocket pings,
 * start-up output and the token CLI.
 */

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const run = promisify(execFile);

let redisServer: LocalRedisServer;
let devDir: string;
beforeAll(async () => {
  redisServer = await LocalRedisServer.start();
  devDir = mkdtempSync(join(tmpdir(), 'activity-dev-'));
});
afterAll(async () => {
  await redisServer?.stop();
  rmSync(devDir, { recursive: true, force: true });
});

describe('the commands people and machines run', () => {
  it('the Dockerfile starts the service with the command the process tests start', () => {
    const dockerfile = read('Dockerfile');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd, 'an exec-form CMD').toBeDefined();
    expect(JSON.parse(cmd!)).toEqual([...MAIN_COMMAND]);
    // Multi-stage, Node 24, not root, with a health check.
    expect(dockerfile.match(/^FROM node:24\S* AS \w+$/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(read('compose.yaml')).toMatch(/api-2:/);
  });

  it('the sources import only production dependencies (the image installs no dev ones)', () => {
    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const sources = readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    const imported = new Set<string>();
    for (const file of sources) {
      for (const [, specifier] of read(`src/${file}`).matchAll(/^import (?!type )[^;]*? from '([^.'][^']*)';/gm)) {
        if (specifier!.startsWith('node:')) continue;
        imported.add(
          specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!,
        );
      }
    }
    expect(imported.size).toBeGreaterThan(10);
    expect([...imported].filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });

  it('names a missing or too old redis-server in one line', () => {
    const fake = join(devDir, 'redis-server-6');
    writeFileSync(fake, '#!/bin/sh\necho "Redis server v=6.2.1 sha=00000000:0 malloc=libc bits=64"\n', { mode: 0o755 });
    expect(redisToolProblem(fake)).toBe(
      `${fake} 6.2.1 is too old: Redis 7 or later is needed (Debian 12: apt-get install redis-server)`,
    );
    expect(redisToolProblem('no-such-redis-server')).toMatch(
      /^no-such-redis-server is not on the PATH: install Redis 7 or later/,
    );
    expect(redisToolProblem('redis-server')).toBeNull();
    expect(redisToolProblem('redis-cli')).toBeNull();
  });

  it('npm start execs the same command (no shell left between npm and node), after building dist/', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start']).toBe(`exec ${MAIN_COMMAND.join(' ')}`);
    expect(scripts['prestart']).toBe('node scripts/build.ts');
    expect(scripts['build']).toBe('node scripts/build.ts');
  });

  it('dist/ holds every module of src/ as JavaScript and every file src/ reads at run time, and no TypeScript', async () => {
    const filesUnder = (dir: string): string[] =>
      readdirSync(new URL(dir, root), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(new URL(dir, root).pathname.length));
    const sources = filesUnder('src/').filter((file) => !file.endsWith('README.md'));
    const built = new Set(filesUnder('dist/'));
    const expected = sources.map((file) => file.replace(/\.ts$/, '.js'));
    expect(expected.filter((file) => !built.has(file))).toEqual([]);
    expect([...built].filter((file) => file.endsWith('.ts'))).toEqual([]);
    // The global setup built it; building again from the same sources leaves it as it is.
    const { stdout } = await run(process.execPath, ['scripts/build.ts'], { cwd: root });
    expect(stdout).toContain('dist/ is up to date');
  });

  it('the README opens with the install-and-run and test commands that .ci/run uses', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(read('README.md'))?.[1] ?? '';
    const commands = firstBlock
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['./npmw ci && ./npmw start', 'npm test']);
    const ci = read('.ci/run');
    expect(ci).toMatch(/^\.\/npmw ci\b/m);
    expect(ci).toMatch(/^npm test(\s|$)/m);
    expect(scripts['test']).toBe('sh ./npmw exec -- vitest run');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to the process `./npmw start` started shuts down gracefully, leaving no orphan',
    { timeout: 45_000 },
    async (signal) => {
      const port = await freePort();
      const npm = spawn('./npmw', ['start'], {
        cwd: root,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? devDir,
          HOST: '127.0.0.1',
          PORT: String(port),
          REDIS_URL: redisServer.url,
          JWT_SECRET: TEST_JWT_SECRET,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(npm, 'exit');
      try {
        await eventually(() => expect(output).toContain(`listening on http://127.0.0.1:${port}/graphql`), {
          timeoutMs: 30_000,
        });
        const service = descendants(npm.pid!).find((pid) => commandLine(pid).includes('dist/main.js'));
        expect(service, 'the node process under npm').toBeDefined();
        npm.kill(signal);
        await exited;
        expect(output).toContain(`${signal} received, shutting down`);
        expect(output).toContain('"msg":"stopped"');
        await eventually(() => expect(existsSync(`/proc/${service}`)).toBe(false));
      } finally {
        npm.kill('SIGKILL');
      }
    },
  );

  it('a port in use is one clear line, no stack trace', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const main = startMain({ PORT: String(port), REDIS_URL: redisServer.url, JWT_SECRET: TEST_JWT_SECRET });
      const [code] = await main.exited;
      expect(code).toBe(1);
      expect(main.output()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(main.output()).not.toMatch(/^\s+at /m);
    } finally {
      blocker.close();
    }
  });
});

describe('start-up output and the token CLI against the development server', () => {
  it('prints tokens on their own lines, names its Redis, and `npm run token` mints tokens it accepts', async () => {
    const secretFile = join(devDir, 'dev-jwt-secret');
    const port = await freePort();
    const main = startMain({ PORT: String(port), REDIS_URL: redisServer.url, DEV_JWT_SECRET_FILE: secretFile });
    try {
      await eventually(() => expect(main.output()).toContain(`listening on http://127.0.0.1:${port}/graphql`), {
        timeoutMs: 10_000,
      });
      expect(main.output()).toMatch(/^admin:\n[\w-]+\.[\w-]+\.[\w-]+$/m);
      expect(main.output()).toMatch(/^service:\n[\w-]+\.[\w-]+\.[\w-]+$/m);
      expect(main.output()).toContain(`(data in Redis at ${redisServer.url})`);

      const minted = await run(process.execPath, ['scripts/token.ts', '--role', 'admin'], {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', DEV_JWT_SECRET_FILE: secretFile },
      });
      expect(minted.stderr).toContain(secretFile);
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${minted.stdout.trim()}` },
        body: JSON.stringify({ query: '{ onlinePlayerCount }' }),
      });
      expect(await response.json()).toEqual({ data: { onlinePlayerCount: expect.any(Number) } });
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
    }
  });

  it('has --help, and refuses short or repetitive secrets and unknown options in one line', async () => {
    const token = (...args: string[]) =>
      run(process.execPath, ['scripts/token.ts', ...args], {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '' },
      }).then(
        (done) => ({ code: 0, ...done }),
        (failed: { code: number; stdout: string; stderr: string }) => failed,
      );
    const help = await token('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--role ROLE');
    for (const secret of ['too-short', 'a'.repeat(40)]) {
      const refused = await token('--role', 'admin', '--secret', secret);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.trim().split('\n')).toEqual([expect.stringContaining('refusing a weak secret')]);
    }
    const unknown = await token('--rolee', 'admin');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringContaining("Unknown option '--rolee'")]);
  });
});

describe('OPS_PORT and WebSocket keep-alive', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ env: { OPS_PORT: '0', OPS_HOST: '127.0.0.1', WS_KEEPALIVE_SECONDS: '0.1' } });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('serves /health, /ready and /metrics on the operators’ port only', async () => {
    const ops = service.app.opsUrl();
    const publicBase = service.url.replace(/\/graphql$/, '');
    expect(ops).not.toBe(publicBase);
    expect((await fetch(`${ops}/health`)).status).toBe(200);
    expect(await (await fetch(`${ops}/ready`)).json()).toMatchObject({ status: 'ready' });
    expect(await (await fetch(`${ops}/metrics`)).text()).toContain('activity_online_players');
    expect((await fetch(`${ops}/graphql`)).status).toBe(404);
    for (const path of ['/ready', '/metrics']) expect((await fetch(`${publicBase}${path}`)).status).toBe(404);
  });

  it('tells proxies not to buffer SSE subscriptions', async () => {
    const controller = new AbortController();
    const response = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${await service.token({ role: 'admin' })}`,
      },
      body: JSON.stringify({ query: 'subscription { onlinePlayerCount }' }),
      signal: controller.signal,
    });
    try {
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('x-accel-buffering')).toBe('no');
    } finally {
      controller.abort();
    }
    const plain = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await service.token({ role: 'admin' })}`,
      },
      body: JSON.stringify({ query: '{ onlinePlayerCount }' }),
    });
    expect(plain.headers.get('x-accel-buffering')).toBeNull();
  });

  it('pings WebSocket clients, and a client that answers stays connected', async () => {
    const socket = new WebSocket(service.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    let pings = 0;
    socket.on('ping', () => pings++);
    await once(socket, 'open');
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${await service.token({ role: 'admin' })}` },
      }),
    );
    await eventually(() => expect(pings).toBeGreaterThanOrEqual(3));
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });
});

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
