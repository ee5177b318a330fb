import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphiQLOptions } from 'graphql-yoga';
import { makeAsset, pathOf, type StaticAsset, sendAsset } from './static-assets.ts';

/** Where GraphiQL's own files are served from. */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

interface GraphiQLAssets {
  /** file name (content-hashed) → asset */
  byName: Map<string, StaticAsset>;
  script: string;
  style: string;
  favicon: string;
  workers: { editorWorkerService: string; json: string; graphql: string };
}

/**
 * Yoga's GraphiQL, served from this service instead of a CDN, so it works
 * with no internet. The bundle comes from @graphql-yoga/render-graphiql
 * (the same build Yoga loads from unpkg, about 9 MB) and is loaded only when
 * GraphiQL is first opened. Unlike that package's own renderer, which inlines
 * everything into every page load, the page here is small and the bundle is
 * served as content-hashed files that the browser caches, gzipped.
 */
export function createLocalGraphiQL() {
  let loading: Promise<GraphiQLAssets> | undefined;
  const load = () => (loading ??= loadAssets());

  return {
    async render(options: GraphiQLOptions): Promise<string> {
      const assets = await load();
      const url = (name: string) => `${GRAPHIQL_ASSETS_PATH}${name}`;
      return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title ?? 'Player Activity API — GraphiQL')}</title>
<link rel="icon" href="${url(assets.favicon)}">
<link rel="stylesheet" href="${url(assets.style)}">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
<script>
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: (_moduleId, label) => (${scriptJson(Object.fromEntries(Object.entries(assets.workers).map(([label, name]) => [label, url(name)])))})[label],
};
</script>
<script src="${url(assets.script)}"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});</script>
</body>
</html>`;
    },

    /** Serves GET/HEAD /graphiql/<file>; false for any other request. */
    async routes(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const path = pathOf(req);
      if (!path.startsWith(GRAPHIQL_ASSETS_PATH) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
      const asset = (await load()).byName.get(path.slice(GRAPHIQL_ASSETS_PATH.length));
      if (!asset) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return true;
      }
      sendAsset(req, res, asset, { immutable: true });
      return true;
    },
  };
}

async function loadAssets(): Promise<GraphiQLAssets> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const byName = new Map<string, StaticAsset>();
  const add = async (stem: string, extension: string, contentType: string, content: string | Buffer) => {
    const asset = await makeAsset(contentType, content);
    const name = `${stem}.${asset.hash}.${extension}`;
    byName.set(name, asset);
    return name;
  };
  const javascript = 'text/javascript; charset=utf-8';
  const [script, style, favicon, editorWorkerService, json, graphql] = await Promise.all([
    add('yoga-graphiql', 'js', javascript, bundle.js),
    add('graphiql', 'css', 'text/css; charset=utf-8', bundle.css),
    add('favicon', 'ico', 'image/x-icon', dataUrlBytes(bundle.favicon)),
    add('editor.worker', 'js', javascript, bundle.editorWorkerService),
    add('json.worker', 'js', javascript, bundle.jsonWorker),
    add('graphql.worker', 'js', javascript, bundle.graphqlWorker),
  ]);
  return { byName, script, style, favicon, workers: { editorWorkerService, json, graphql } };
}

const dataUrlBytes = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');

/** JSON that is safe inside a <script> element. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value ?? {})
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
