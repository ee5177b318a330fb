import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { Config } from './config.ts';

/**
 * A private, throwaway redis-server (no persistence) on a free local port:
 * used by `npm start` when no Redis answers at the default URL, and by the
 * tests, which kill and restart it to exercise faults.
 */
export class LocalRedisServer {
  readonly port: number;
  readonly url: string;
  readonly #binary: string;
  readonly #extraArgs: readonly string[];
  readonly #tls: LocalRedisTls | undefined;
  #process: ChildProcess | null = null;

  private constructor(port: number, binary: string, extraArgs: readonly string[], tls?: LocalRedisTls) {
    this.port = port;
    this.url = `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`;
    this.#binary = binary;
    this.#extraArgs = extraArgs;
    this.#tls = tls;
  }

  /**
   * `extraArgs` are redis-server options, e.g. ['--enable-debug-command', 'local']; restart() reuses them.
   * With `tls` the port speaks TLS only (url is rediss://).
   */
  static async start(
    binary = 'redis-server',
    extraArgs: readonly string[] = [],
    { tls }: { tls?: LocalRedisTls } = {},
  ): Promise<LocalRedisServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = new LocalRedisServer(await freePort(), binary, extraArgs, tls);
      try {
        await server.#spawn();
        return server;
      } catch (error) {
        lastError = error; // another process took the port in between: try another
      }
    }
    throw lastError;
  }

  get running(): boolean {
    return this.#process !== null;
  }

  /** Kills the server abruptly, as a crash would. */
  async kill(): Promise<void> {
    const child = this.#process;
    if (!child) return;
    this.#process = null;
    const exited = once(child, 'exit');
    child.ref(); // keep the event loop alive until it is really gone
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the process (SIGSTOP): a server that hangs with its connections open, until resume(). */
  pause(): void {
    this.#process?.kill('SIGSTOP');
  }

  resume(): void {
    this.#process?.kill('SIGCONT');
  }

  /** Starts it again on the same port (empty: it keeps nothing on disk). */
  async restart(extraArgs: readonly string[] = this.#extraArgs): Promise<void> {
    await this.kill();
    await this.#spawn(extraArgs);
  }

  async stop(): Promise<void> {
    await this.kill();
  }

  async #spawn(extraArgs: readonly string[] = this.#extraArgs): Promise<void> {
    const child = spawn(
      this.#binary,
      [
        ...(this.#tls
          ? [
              '--port',
              '0',
              '--tls-port',
              String(this.port),
              '--tls-cert-file',
              this.#tls.certFile,
              '--tls-key-file',
              this.#tls.keyFile,
              '--tls-ca-cert-file',
              this.#tls.caFile,
              '--tls-auth-clients',
              'no',
            ]
          : ['--port', String(this.port)]),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
        ...extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    try {
      await waitForPort(this.port, child);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${this.port}: ${(error as Error).message}\n${output}`);
    }
    child.stdout?.off('data', collect);
    child.stderr?.off('data', collect);
    child.stdout?.resume();
    child.stderr?.resume();
    child.unref();
    // Never outlive the process that started it, even when that one crashes.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    this.#process = child;
  }
}

/** PEM files of a TLS-only local server; clients need not present a certificate. */
export interface LocalRedisTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

/** Resolves once something accepts connections on the port; rejects if the child exits first. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  child.once('error', (error) => {
    exited = error.message;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open && !exited) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}

async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 500,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * Why a Redis tool cannot be used, in one line, or null when it can:
 * missing from the PATH, or older than `minMajor` (the tests need Redis 7
 * for `--enable-debug-command` and ACL selectors; redis-cli builds clusters).
 */
export function redisToolProblem(tool: string, minMajor = 7): string | null {
  let printed: string;
  try {
    printed = execFileSync(tool, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? `${tool} is not on the PATH: install Redis ${minMajor} or later (Debian/Ubuntu: apt-get install redis-server)`
      : `${tool} --version failed: ${(error as Error).message.split('\n')[0]}`;
  }
  // "Redis server v=7.0.15 sha=…" / "redis-cli 7.0.15"
  const version = /(?:v=|redis-cli )(\d+)\.(\d+)\.(\d+)/.exec(printed);
  if (!version) return `cannot tell the version of ${tool} from: ${printed.trim().slice(0, 100)}`;
  if (Number(version[1]) < minMajor) {
    return `${tool} ${version.slice(1).join('.')} is too old: Redis ${minMajor} or later is needed (Debian 12: apt-get install redis-server)`;
  }
  return null;
}

export interface ResolveRedisOptions {
  warn: (message: string) => void;
  /** The redis-server binary to fall back on. */
  binary?: string;
}

/**
 * With REDIS_URL unset and nothing at the default address, a newcomer gets a
 * private throwaway redis-server (when one is installed) instead of an error.
 */
export async function resolveRedis(
  config: Config,
  { warn, binary = 'redis-server' }: ResolveRedisOptions,
): Promise<{ config: Config; localRedis?: LocalRedisServer }> {
  if (config.redis.explicit || (await redisAnswers(config.redis.url))) return { config };
  const problem = redisToolProblem(binary, 6);
  if (problem)
    throw new Error(
      `No Redis answered at ${config.redis.url}, and ${problem}. Set REDIS_URL to a reachable Redis instead.`,
    );
  let localRedis: LocalRedisServer;
  try {
    localRedis = await LocalRedisServer.start(binary);
  } catch (error) {
    throw new Error(
      `No Redis answered at ${config.redis.url} and no ${binary} could be started (${(error as Error).message.split('\n')[0]}). Set REDIS_URL to a reachable Redis.`,
    );
  }
  warn(
    `No Redis answered at ${config.redis.url}; started a private throwaway redis-server at ${localRedis.url} (its data goes away on exit). Set REDIS_URL to use your own.`,
  );
  return { config: { ...config, redis: { ...config.redis, url: localRedis.url } }, localRedis };
}
