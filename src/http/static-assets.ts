import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

/** One file the service ships (console, GraphiQL), held in memory with its gzip form. */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: Buffer;
  /** Compressed once, when the asset is made; absent when gzip would not help. */
  readonly gzipped: Buffer | undefined;
  readonly etag: string;
  /** A short content hash, for file names that can be cached forever. */
  readonly hash: string;
}

const COMPRESSIBLE = /^(text\/|application\/(javascript|json)|image\/(svg|x-icon))/;

export async function makeAsset(contentType: string, content: string | Buffer): Promise<StaticAsset> {
  const body = typeof content === 'string' ? Buffer.from(content) : content;
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  let gzipped: Buffer | undefined;
  if (COMPRESSIBLE.test(contentType) && body.length > 512) {
    const compressed = await gzip(body, { level: 9 });
    if (compressed.length < body.length) gzipped = compressed;
  }
  return { contentType, body, gzipped, etag: `"${hash}"`, hash };
}

export interface SendOptions {
  /** Content-hashed URLs never change: cache them for a year. Others are revalidated each time. */
  immutable?: boolean;
  headers?: Record<string, string>;
}

/** GET/HEAD of an asset: gzip when the client accepts it, 304 on a matching ETag. */
export function sendAsset(req: IncomingMessage, res: ServerResponse, asset: StaticAsset, options: SendOptions = {}) {
  const headers: Record<string, string | number> = {
    'content-type': asset.contentType,
    'cache-control': options.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag: asset.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    ...options.headers,
  };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  const useGzip = asset.gzipped !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = useGzip ? asset.gzipped! : asset.body;
  if (useGzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The path of a request without its query string. */
export const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?')[0] ?? '/';
