import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What the bench ran on, for the header of its report. */
export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  os: string;
  node: string;
  redisServer: string;
  /** The commit measured (git describe), when run from a checkout. */
  gitHead?: string;
}

export function describeMachine(redisVersion: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    redisServer: redisVersion,
    ...gitHead(),
  };
}

function gitHead(): { gitHead?: string } {
  try {
    const head = execFileSync('git', ['log', '-1', '--format=%h %s'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { gitHead: `${head.trim().slice(0, 100)}${dirty.trim() ? ' (+ uncommitted changes)' : ''}` };
  } catch {
    return {};
  }
}

let clockTicks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat's CPU times (getconf CLK_TCK, nearly always 100). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds a process has used so far (Linux /proc); NaN elsewhere or once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process in MiB (Linux /proc); NaN elsewhere. */
export function processRssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return kib / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Above this CPU share (% of a core) of other processes, a measurement is disturbed by a neighbour. */
export const BUSY_OTHER_CPU = 25;

/** CPU use, in % of one core, of the server, redis-server, the bench itself and everything else over an interval. */
export interface CpuShare {
  server: number;
  redis: number;
  bench: number;
  /** Every other process (and the kernel) on the machine: a busy neighbour makes a round unreliable. */
  other: number;
}

/** CPU seconds the whole machine has spent busy so far (Linux /proc/stat, all cores); NaN elsewhere. */
export function machineBusySeconds(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    const ticks = fields.map(Number);
    // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
    const busy = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0) - ticks[3]! - ticks[4]!;
    return busy / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/**
 * Samples CPU times of the servers under load, redis-server and the bench;
 * `since()` gives the shares used since the sample. `quietPids` are the
 * bench's own idle processes (the other server): their CPU is not "other".
 */
export class CpuMeter {
  readonly #serverPids: readonly number[];
  readonly #redisPid: number;
  readonly #quietPids: readonly number[];

  constructor(serverPids: number | readonly number[], redisPid: number, quietPids: readonly number[] = []) {
    this.#serverPids = typeof serverPids === 'number' ? [serverPids] : serverPids;
    this.#redisPid = redisPid;
    this.#quietPids = quietPids;
  }

  start(): { since(): CpuShare } {
    const at = performance.now();
    const cpuOf = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) || 0), 0);
    const server = cpuOf(this.#serverPids);
    const quiet = cpuOf(this.#quietPids);
    const redis = processCpuSeconds(this.#redisPid);
    const bench = process.cpuUsage();
    const machine = machineBusySeconds();
    return {
      since: () => {
        const seconds = (performance.now() - at) / 1000;
        const benchUsed = process.cpuUsage(bench);
        const used = {
          server: cpuOf(this.#serverPids) - server,
          redis: processCpuSeconds(this.#redisPid) - redis,
          bench: (benchUsed.user + benchUsed.system) / 1e6,
        };
        const quietUsed = cpuOf(this.#quietPids) - quiet;
        const other = machineBusySeconds() - machine - used.server - used.redis - used.bench - quietUsed;
        const share = (cpuSeconds: number) => Math.round((cpuSeconds / seconds) * 100);
        return {
          server: share(used.server),
          redis: share(used.redis),
          bench: share(used.bench),
          other: Math.max(0, share(other)),
        };
      },
    };
  }
}
