import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { GraphQLContext } from '../context.ts';

/** What a request brings before the GraphQL context is built. */
export interface ServerContext {
  request?: Request;
  /** The graphql-ws connection_init payload. */
  connectionParams?: Readonly<Record<string, unknown>> | undefined;
  params?: unknown;
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
 * error masking and authentication apply as over HTTP.
 */
export function serveGraphQLOverWebSocket(
  server: Server,
  path: string,
  yoga: YogaServerInstance<ServerContext, GraphQLContext>,
  {
    maxMessageBytes,
    keepAliveMs,
  }: {
    maxMessageBytes: number;
    /**
     * Pings every socket this often; one that has not answered the previous
     * ping is closed. Keeps quiet subscriptions alive through proxies and
     * load balancers with idle timeouts, and finds dead peers. 0: no pings.
     */
    keepAliveMs: number;
  },
): GraphQLWebSocket {
  // The same size limit as HTTP bodies (ws' default is 100 MiB); over it, close 1009.
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
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
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

/** Yoga's enveloped execute/subscribe, handed to graphql-ws through rootValue. */
interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

type OperationResult =
  | Promise<ExecutionResult | AsyncIterable<ExecutionResult>>
  | ExecutionResult
  | AsyncIterable<ExecutionResult>;
