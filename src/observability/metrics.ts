import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GraphQLContext } from '../context.ts';

export interface MetricsSources {
  onlinePlayers: () => Promise<number>;
  openSubscriptions: () => number;
}

/** The service's Prometheus metrics, in a registry of its own (one per app). */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'type'>;
  readonly duration: Histogram<'operation' | 'type'>;
  readonly errors: Counter<'code'>;
  readonly redisFailures: Counter<'connection'>;
  readonly reapedSessions: Counter;
  readonly removedGhosts: Counter;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations run, by operation name and type',
      labelNames: ['operation', 'type'],
      registers,
    });
    this.duration = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time to execute a GraphQL operation (subscriptions: time to start)',
      labelNames: ['operation', 'type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.errors = new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors answered, by extensions.code',
      labelNames: ['code'],
      registers,
    });
    this.redisFailures = new Counter({
      name: 'redis_command_failures_total',
      help: 'Redis commands that failed for want of a usable connection, and connection errors',
      labelNames: ['connection'],
      registers,
    });
    this.reapedSessions = new Counter({
      name: 'activity_reaped_sessions_total',
      help: 'Idle sessions completed by the reaper',
      registers,
    });
    this.removedGhosts = new Counter({
      name: 'activity_removed_ghosts_total',
      help: 'Online-set members removed because their session was gone',
      registers,
    });
    new Gauge({
      name: 'activity_online_players',
      help: 'Players in the online set (read at scrape time)',
      registers,
      async collect() {
        try {
          this.set(await sources.onlinePlayers());
        } catch {
          // Redis is away: leave the last value; redis_command_failures_total tells.
        }
      },
    });
    new Gauge({
      name: 'graphql_open_subscriptions',
      help: 'Online-count subscriptions open on this instance',
      registers,
      collect() {
        this.set(sources.openSubscriptions());
      },
    });
  }

  /** A Yoga plugin counting operations, their duration and their errors. */
  plugin(): Plugin<GraphQLContext> {
    const observe = (document: DocumentNode, operationName: string | null | undefined) => {
      const operation = getOperationAST(document, operationName);
      const labels = { operation: operation?.name?.value ?? 'anonymous', type: operation?.operation ?? 'unknown' };
      this.requests.inc(labels);
      return this.duration.startTimer(labels);
    };
    const countErrors = (result: unknown) => {
      for (const error of (result as { errors?: readonly { extensions?: Record<string, unknown> }[] }).errors ?? []) {
        this.errors.inc({ code: String(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR') });
      }
    };
    return {
      onExecute: ({ args }) => {
        const done = observe(args.document, args.operationName);
        return {
          onExecuteDone: ({ result }) => {
            done();
            if (!isAsyncIterable(result)) countErrors(result);
          },
        };
      },
      onSubscribe: ({ args }) => {
        const done = observe(args.document, args.operationName);
        return {
          onSubscribeResult: ({ result }) => {
            done();
            if (!isAsyncIterable(result)) countErrors(result);
          },
          onSubscribeError: () => done(),
        };
      },
      onValidate: () => ({ result }) => {
        for (const error of result) {
          this.errors.inc({ code: String(error.extensions?.['code'] ?? 'GRAPHQL_VALIDATION_FAILED') });
        }
      },
    };
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
