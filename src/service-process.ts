import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './redis-server.ts';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * V8 heap sizing the service runs with (the container image's NODE_OPTIONS;
 * README "Memory"); the bench passes them as flags. With V8's defaults on a large machine (a ~4 GiB heap
 * limit, semi-spaces sized for it) the heap grows to several times its live
 * data under load before it is collected: RSS 400+ MiB for ~50 MiB live.
 */
export const SERVICE_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=8'] as const;
/** What production runs (`npm start`, the image's CMD): src/ compiled by scripts/build.ts. */
export const SERVICE_ENTRY = 'dist/main.js';

/** Compiles src/ into dist/ (scripts/build.ts), so a child service runs the current code. */
export function buildService(): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build.ts')], { cwd: PROJECT_ROOT, stdio: 'pipe' });
}
// A guard against a server that never comes up, not a speed check: three
// processes loading their modules at once on 2 busy cores can take 15 s.
const START_TIMEOUT_MS = 45_000;
const STOP_TIMEOUT_MS = 12_000;
const KEPT_OUTPUT_LINES = 40;

export interface ServerOptions {
  redisUrl: string;
  jwtSecret: string;
  /** LOG_LEVEL for the service; its own default (info) when undefined. */
  logLevel?: string | undefined;
  /** Directory for a `node --cpu-prof` profile of the server; none when undefined. */
  cpuProfileDir?: string | undefined;
  /** Node flags for the service; SERVICE_NODE_FLAGS when undefined. */
  nodeFlags?: readonly string[] | undefined;
  /** Script to run instead of the service (relative to the project root), e.g. the bench's naive server. */
  entry?: string;
  /** More environment for the child. */
  env?: Readonly<Record<string, string>>;
}

/**
 * The API server under test, as production runs it (`node dist/main.js`,
 * NODE_ENV=production) in a child process: on a 2-core machine the load
 * generator then has the other core and does not share the server's event loop.
 */
export class ServerProcess {
  readonly url: string;
  readonly origin: string;
  readonly pid: number;
  readonly #child: ChildProcess;
  readonly #output: string[];
  #exited: Promise<void>;

  private constructor(url: string, child: ChildProcess, output: string[]) {
    this.url = url;
    this.origin = new URL(url).origin;
    this.pid = child.pid!;
    this.#child = child;
    this.#output = output;
    this.#exited = child.exitCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined);
  }

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const port = await freePort();
    const entry = options.entry ?? SERVICE_ENTRY;
    if (!existsSync(join(PROJECT_ROOT, entry)))
      throw new Error(`${entry} is missing: run buildService() (npm run build) first`);
    const nodeArgs: string[] = entry === SERVICE_ENTRY ? [...(options.nodeFlags ?? SERVICE_NODE_FLAGS)] : [];
    if (options.cpuProfileDir) {
      mkdirSync(options.cpuProfileDir, { recursive: true });
      nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir);
    }
    const child = spawn(process.execPath, [...nodeArgs, entry], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        REDIS_URL: options.redisUrl,
        JWT_SECRET: options.jwtSecret,
        ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Never outlive the bench, even when it crashes.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));

    // Keep the last lines of output for error reports; the per-request
    // lines (one per request at the default log level) are read and dropped.
    const output: string[] = [];
    let listening: (url: string) => void = () => {};
    const listeningUrl = new Promise<string>((resolve) => (listening = resolve));
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        // Per-request lines say nothing about a failure; keep the rest.
        if (!line.includes('"msg":"request"')) output.push(line);
        if (output.length > KEPT_OUTPUT_LINES) output.shift();
        const match = /listening on (http:\/\/\S+?)["\s]/.exec(`${line} `);
        if (match) listening(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);

    const exitedEarly = once(child, 'exit').then(([code, signal]) => {
      throw new Error(`server exited before listening (${code ?? signal}):\n${output.join('\n')}${partial}`);
    });
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`server did not listen within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`)),
        START_TIMEOUT_MS,
      ).unref(),
    );
    try {
      // The "listening on" line is logged at info; at a quieter level, poll /health.
      const ready = isInfoLogged(options.logLevel)
        ? listeningUrl
        : pollHealth(`http://127.0.0.1:${port}`, Date.now() + START_TIMEOUT_MS);
      const url = await Promise.race([ready, exitedEarly, timeout]);
      exitedEarly.catch(() => {}); // handled by stop() from here on
      return new ServerProcess(url, child, output);
    } catch (error) {
      exitedEarly.catch(() => {});
      child.kill('SIGKILL');
      throw error;
    }
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The last lines the server printed. */
  recentOutput(): string {
    return this.#output.join('\n');
  }

  /** SIGTERM (a graceful stop, which also writes a --cpu-prof profile), SIGKILL if it hangs. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(timer);
  }
}

function isInfoLogged(level: string | undefined): boolean {
  return level === undefined || ['info', 'debug', 'trace'].includes(level);
}

async function pollHealth(origin: string, deadline: number): Promise<string> {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/health`);
      await response.arrayBuffer();
      if (response.ok) return `${origin}/graphql`;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('server did not answer /health in time');
}
