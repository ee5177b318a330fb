import type { Redis } from 'ioredis';
import type { ServerProcess } from '../src/service-process.ts';
import type { HttpTarget, Round } from './load.ts';
import type { CpuMeter } from './machine.ts';
import type { RssSampler } from './rss.ts';
import type { BenchSettings } from './settings.ts';

/** What every scenario gets. */
export interface BenchContext {
  settings: BenchSettings;
  server: ServerProcess;
  redisUrl: string;
  /** The bench's own connection to the throwaway redis-server (INFO, MEMORY USAGE, checks). */
  redis: Redis;
  /** POSTs to the server's /graphql with the service token. */
  target: HttpTarget;
  serviceToken: string;
  adminToken: string;
  /** Logged in before the ingest scenarios; events rotate over them. */
  players: readonly string[];
  /** CPU shares with the service as "server" (the naive server counted as the bench's own). */
  cpu: CpuMeter;
  /** The straightforward comparison server (bench/naive), on the same Redis under its own key prefix. */
  naive: { server: ServerProcess; target: HttpTarget; keyPrefix: string; cpu: CpuMeter };
  /** The service's RSS through the run. */
  rss: RssSampler;
  redisPort: number;
  redisPid: number;
  /** For starting more service processes on the same Redis. */
  jwtSecret: string;
}

export interface Metric {
  metric: string;
  value: number | string;
  unit: string;
}

export interface ScenarioResult {
  scenario: string;
  metrics: Metric[];
  /** Failed calls over warm-up and rounds (any is a failed bench). */
  errors: number;
  firstError?: string | undefined;
  /**
   * Other processes used more than BUSY_OTHER_CPU % of a core during the
   * reported measurement (every round of it was disturbed): a neighbour
   * competed for the CPUs, so the figure is low and unreliable.
   */
  busy?: boolean;
  /** Units of work per second of the median round (requests, or events), for the ratios. */
  throughput?: number;
  /** Events the calls of an ingest scenario acknowledged, warm-up included (for the consistency check). */
  eventsAcknowledged?: number;
  /** Every measured round, for the JSON report. */
  rounds?: Round[];
  /** Anything else worth keeping in the JSON report. */
  details?: Record<string, unknown>;
}
