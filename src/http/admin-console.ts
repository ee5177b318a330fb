import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeAsset, pathOf, type StaticAsset, sendAsset } from './static-assets.ts';

export const ADMIN_CONSOLE_PATH = '/admin';

const require = createRequire(import.meta.url);
const own = (name: string) => fileURLToPath(new URL(`../console/${name}`, import.meta.url));
const fromPackage = (packageName: string, file: string) =>
  join(dirname(require.resolve(`${packageName}/package.json`)), file);

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * Every file the console loads, all shipped with the package: its own
 * (src/console) and the browser builds of two npm dependencies. Nothing
 * comes from a CDN, so it works with no internet.
 */
const FILES: Record<string, { path: string; contentType: string }> = {
  'index.html': { path: own('index.html'), contentType: 'text/html; charset=utf-8' },
  'console.js': { path: own('console.js'), contentType: JS },
  'api.js': { path: own('api.js'), contentType: JS },
  'charts.js': { path: own('charts.js'), contentType: JS },
  'console.css': { path: own('console.css'), contentType: CSS },
  'favicon.svg': { path: own('favicon.svg'), contentType: 'image/svg+xml' },
  'uPlot.iife.min.js': { path: fromPackage('uplot', 'dist/uPlot.iife.min.js'), contentType: JS },
  'uPlot.min.css': { path: fromPackage('uplot', 'dist/uPlot.min.css'), contentType: CSS },
  'graphql-ws.min.js': { path: fromPackage('graphql-ws', 'umd/graphql-ws.min.js'), contentType: JS },
};

/**
 * The page may load and connect to nothing but this service (its own
 * GraphQL endpoint, over HTTP and WebSocket), run no inline script, and not
 * be framed.
 */
const PAGE_HEADERS = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface AdminConsoleOptions {
  /** Offered by GET /admin/dev-token to browsers on this machine (development only). */
  developmentAdminToken?: string | undefined;
}

/**
 * GET/HEAD /admin (the page), /admin/assets/<file>, and, in development,
 * /admin/dev-token. The page talks to the API like any client, with the
 * admin token it was given; these routes themselves need no token.
 * Returns false for any other request.
 */
export function createAdminConsoleRoutes({ developmentAdminToken }: AdminConsoleOptions = {}) {
  let loading: Promise<Map<string, StaticAsset>> | undefined;
  const load = () =>
    (loading ??= (async () => {
      const entries = await Promise.all(
        Object.entries(FILES).map(
          async ([name, { path, contentType }]) => [name, await makeAsset(contentType, await readFile(path))] as const,
        ),
      );
      return new Map(entries);
    })());
  load().catch(() => {}); // warms up in the background; a failure shows on the first request

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = pathOf(req);
    if (path !== ADMIN_CONSOLE_PATH && !path.startsWith(`${ADMIN_CONSOLE_PATH}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const sub = path.slice(ADMIN_CONSOLE_PATH.length);
    if (sub === '' || sub === '/') {
      sendAsset(req, res, (await load()).get('index.html')!, { headers: PAGE_HEADERS });
      return true;
    }
    if (sub === '/dev-token') {
      // Only a browser on this machine gets it: the same token is in the
      // service's own log, which only people with access to the machine see.
      if (!developmentAdminToken || !isLoopback(req)) return notFound(res);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ token: developmentAdminToken }));
      return true;
    }
    const asset = sub.startsWith('/assets/') ? (await load()).get(sub.slice('/assets/'.length)) : undefined;
    if (!asset || sub === '/assets/index.html') return notFound(res);
    sendAsset(req, res, asset);
    return true;
  };
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
  return true;
}

function isLoopback(req: IncomingMessage) {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
