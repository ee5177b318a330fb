import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  OperationTypeNode,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { GraphQLContext } from '../context.ts';
import { ErrorCode } from '../schema/errors.ts';
import { withinMs } from '../time-limit.ts';

export interface MetricsSources {
  /** The schema, whose root field names are the only operation labels. */
  schema: GraphQLSchema;
  openSubscriptions: () => number;
}

/** The labels of graphql_operations_total and graphql_operation_duration_seconds. */
export interface OperationLabels {
  readonly operation: string;
  readonly type: string;
}

/** Label for anything outside a label's bounded set. */
export const OTHER = 'other';

/** Codes graphql-js and Yoga answer with, beside the service's own. */
const KNOWN_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode),
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'INTERNAL_SERVER_ERROR',
]);

// A scrape must answer even when a source is stuck: each gets this long.
const COLLECT_TIMEOUT_MS = 500;

/** The service's Prometheus metrics, in a registry of its own (one per app). */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'type'>;
  readonly duration: Histogram<'operation' | 'type'>;
  readonly errors: Counter<'code'>;
  readonly redisFailures: Counter<'connection'>;
  readonly reapedSessions: Counter;
  readonly removedGhosts: Counter;
  readonly eventIdDuplicates: Counter;
  readonly #rootFields: ReadonlyMap<string, ReadonlySet<string>>;
  readonly #labels = new WeakMap<DocumentNode, Map<string, OperationLabels>>();
  #onlinePlayers: () => Promise<number> | null = () => null;

  constructor(sources: MetricsSources) {
    this.#rootFields = new Map(
      [OperationTypeNode.QUERY, OperationTypeNode.MUTATION, OperationTypeNode.SUBSCRIPTION].map((type) => [
        type,
        new Set(Object.keys(sources.schema.getRootType(type)?.getFields() ?? {})),
      ]),
    );
    const onlinePlayers = () => this.#onlinePlayers();
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'graphql_operations_total',
      help: `GraphQL operations run, by type and root field (the schema's root field names; "${OTHER}" for several fields or anything else)`,
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
    this.eventIdDuplicates = new Counter({
      name: 'activity_event_id_duplicates_total',
      help: 'Tracked calls and batch events whose eventId repeated an earlier call: answered, nothing applied (retries that would have counted twice)',
      registers,
    });
    new Gauge({
      name: 'activity_online_players',
      help: 'Players in the online set (read at scrape time)',
      registers,
      async collect() {
        try {
          const reading = onlinePlayers();
          if (reading === null) return; // Redis is away: the last value stays; redis_command_failures_total tells.
          this.set(await withinMs(reading, COLLECT_TIMEOUT_MS));
        } catch {
          // A slow or failing read leaves the last value.
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

  /**
   * Where activity_online_players comes from, read at scrape time; a source
   * answering null (Redis away) leaves the last value. Set once the store
   * exists, so neither refers to the other before it is built.
   */
  readOnlinePlayersWith(read: () => Promise<number> | null): void {
    this.#onlinePlayers = read;
  }

  /** The operation's bounded labels: its type, and its root field when it has one (never a client-chosen name). */
  operationLabels(document: DocumentNode, operationName: string | null | undefined): OperationLabels {
    // Yoga hands every request for the same text the same cached document: its labels are worked out once.
    let byName = this.#labels.get(document);
    if (!byName) {
      byName = new Map();
      this.#labels.set(document, byName);
    }
    const key = operationName ?? '';
    let labels = byName.get(key);
    if (!labels) {
      labels = this.#labelsOf(document, operationName);
      byName.set(key, labels);
    }
    return labels;
  }

  #labelsOf(document: DocumentNode, operationName: string | null | undefined): OperationLabels {
    const operation = getOperationAST(document, operationName);
    if (!operation) return { operation: OTHER, type: OTHER };
    const known = this.#rootFields.get(operation.operation) ?? new Set<string>();
    const fields = new Set(
      operation.selectionSet.selections.map((selection) =>
        selection.kind === Kind.FIELD && known.has(selection.name.value) ? selection.name.value : OTHER,
      ),
    );
    return { operation: fields.size === 1 ? [...fields][0]! : OTHER, type: operation.operation };
  }

  /** The error code as a label: one of the codes this service answers with, or "other". */
  static codeLabel(code: unknown): string {
    return typeof code === 'string' && KNOWN_CODES.has(code) ? code : OTHER;
  }

  /** A Yoga plugin counting operations, their duration and their errors. */
  plugin(): Plugin<GraphQLContext> {
    const observe = (document: DocumentNode, operationName: string | null | undefined) => {
      const labels = this.operationLabels(document, operationName);
      this.requests.inc(labels);
      const start = performance.now();
      return () => this.duration.observe(labels, (performance.now() - start) / 1000);
    };
    const countErrors = (result: unknown) => {
      for (const error of (result as { errors?: readonly { extensions?: Record<string, unknown> }[] }).errors ?? []) {
        this.errors.inc({ code: ServiceMetrics.codeLabel(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR') });
      }
    };
    const countValidationErrors = ({ result }: { result: readonly (Error | GraphQLError)[] }) => {
      for (const error of result) {
        this.errors.inc({
          code: ServiceMetrics.codeLabel(
            (error as Partial<GraphQLError>).extensions?.['code'] ?? 'GRAPHQL_VALIDATION_FAILED',
          ),
        });
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
      onValidate: () => countValidationErrors,
    };
  }
}
