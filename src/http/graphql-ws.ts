import type { Server } from 'node:http';
import { type DocumentNode, type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { GraphQLContext, ServerContext } from '../context.ts';
import { codedError, ErrorCode } from '../schema/errors.ts';

export interface WebSocketLimits {
  /** The same size limit as HTTP bodies (ws' default is 100 MiB); over it, close 1009. */
  maxMessageBytes: number;
  /** Operations (subscriptions, and queries or mutations still running) one socket may hold at once. */
  maxOperationsPerSocket: number;
  /**
   * Pings every socket this often; one that has not answered the previous
   * ping is closed. Keeps quiet subscriptions alive through proxies and
   * load balancers with idle timeouts, and finds dead peers. 0: no pings.
   */
  keepAliveMs: number;
}

export interface GraphQLWebSocket {
  /** True while any operation of a graphql-ws connection is still running. */
  busy(): boolean;
  /** Closes every socket (1001) and the WebSocket server. */
  dispose(): Promise<void>;
}

/**
 * GraphQL over WebSocket (graphql-ws protocol) on the HTTP server's GraphQL
 * path, through Yoga's enveloped parse/validate/execute, so plugins, limits,
 * error masking and authentication apply as over HTTP. A refused operation
 * gets an error message of its own; the socket stays open.
 */
export function serveGraphQLOverWebSocket(
  server: Server,
  path: string,
  yoga: YogaServerInstance<ServerContext, GraphQLContext>,
  { maxMessageBytes, maxOperationsPerSocket, keepAliveMs }: WebSocketLimits,
): GraphQLWebSocket {
  // noServer: a WebSocketServer given the HTTP server re-emits that server's
  // errors (a port in use…), which graphql-ws then prints with a stack trace;
  // listen errors belong to whoever listens. Upgrades are routed here.
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
  });
  const connections = new Set<{ subscriptions: Record<string, unknown> }>();
  const handle = useServer(
    {
      onConnect: (ctx) => {
        connections.add(ctx);
      },
      onClose: (ctx) => {
        connections.delete(ctx);
      },
      // extensions.http is Yoga's note of an HTTP status (429 for RATE_LIMITED); meaningless on a socket.
      onNext: (_ctx, _id, _payload, _args, result) => withoutHttpStatus(result),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, id, payload) => {
        // graphql-ws has registered this operation already when it asks.
        const open = Object.keys(ctx.subscriptions).filter((other) => other !== id).length;
        if (open >= maxOperationsPerSocket) {
          return [
            codedError(
              ErrorCode.tooManySubscriptions,
              `This socket holds its most operations (${maxOperationsPerSocket}, MAX_SUBSCRIPTIONS_PER_SOCKET); complete one first.`,
            ),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          connectionParams: ctx.connectionParams,
          params: payload,
        } satisfies ServerContext);
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error]; // e.g. over the token limit
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wsServer,
    keepAliveMs,
  );
  return {
    // graphql-ws forgets an operation only once its `complete` has been sent.
    busy: () => [...connections].some((connection) => Object.keys(connection.subscriptions).length > 0),
    async dispose() {
      await handle.dispose();
      wsServer.close();
    },
  };
}

function withoutHttpStatus(result: ExecutionResult): ExecutionResult | undefined {
  if (!result.errors?.some((error) => error.extensions?.['http'] !== undefined)) return undefined;
  return {
    ...result,
    errors: result.errors.map((error) => {
      if (error.extensions?.['http'] === undefined) return error;
      const { http: _http, ...extensions } = error.extensions;
      return new GraphQLError(error.message, {
        nodes: error.nodes,
        path: error.path,
        originalError: error.originalError,
        extensions,
      });
    }),
  };
}

/** Yoga's enveloped execute/subscribe, handed to graphql-ws through rootValue. */
interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

type OperationResult =
  | Promise<ExecutionResult | AsyncIterable<ExecutionResult>>
  | ExecutionResult
  | AsyncIterable<ExecutionResult>;
