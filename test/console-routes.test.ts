import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { LocalRedisServer } from '../src/redis-server.ts';
import { startTestService, TEST_JWT_SECRET, TEST_REDIS_ARGS, useTestService } from './support/harness.ts';

/** The console's HTTP routes: what the page may load, and what it may not. */

const service = useTestService();
const at = (path: string) => new URL(path, service.url);

describe('/admin', () => {
  it('serves the page with a policy that allows nothing but this service', async () => {
    for (const path of ['/admin', '/admin/', '/admin?x=1']) {
      const response = await fetch(at(path));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const policy = response.headers.get('content-security-policy')!;
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      const html = await response.text();
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).toContain('/admin/assets/console.js');
    }
  });

  it('serves every asset the page names, gzipped when asked, revalidated by ETag', async () => {
    const html = await (await fetch(at('/admin'))).text();
    const assets = [...html.matchAll(/\/admin\/assets\/[\w.-]+/g)].map(([path]) => path);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/admin/assets/console.js',
        '/admin/assets/console.css',
        '/admin/assets/uPlot.iife.min.js',
        '/admin/assets/uPlot.min.css',
        '/admin/assets/graphql-ws.min.js',
      ]),
    );
    for (const path of [...assets, '/admin/assets/api.js', '/admin/assets/charts.js']) {
      const response = await fetch(at(path), { headers: { 'accept-encoding': 'gzip' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const body = await response.text();
      expect(body, path).not.toMatch(/(src|href)=["']?https?:\/\/(?!www\.w3\.org)/);
    }
    const script = await fetch(at('/admin/assets/console.js'), { headers: { 'accept-encoding': 'gzip' } });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-encoding')).toBe('gzip');
    const etag = script.headers.get('etag')!;
    await script.text();
    expect((await fetch(at('/admin/assets/console.js'), { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('answers 404 for anything else under /admin, 405 for other methods, and no dev token outside development', async () => {
    for (const path of [
      '/admin/assets/nothing.js',
      '/admin/assets/../config.ts',
      '/admin/assets/index.html',
      '/admin/other',
      '/admin/dev-token',
    ]) {
      expect((await fetch(at(path))).status, path).toBe(404);
    }
    expect((await fetch(at('/admin'), { method: 'POST' })).status).toBe(405);
  });

  it('is not served with ADMIN_CONSOLE=false', async () => {
    const off = await startTestService({ env: { ADMIN_CONSOLE: 'false' } });
    try {
      expect((await fetch(new URL('/admin', off.url))).status).toBe(404);
      expect((await fetch(new URL('/admin/assets/console.js', off.url))).status).toBe(404);
    } finally {
      await off.stop();
    }
  });

  it('refuses a bad ADMIN_CONSOLE value at start-up', () => {
    expect(() => loadConfig({ ADMIN_CONSOLE: 'maybe' })).toThrow(/ADMIN_CONSOLE/);
  });

  it('offers the development admin token to a browser on this machine when the development secret is in use', async () => {
    const redisServer = await LocalRedisServer.start('redis-server', TEST_REDIS_ARGS);
    const config = {
      ...loadConfig({ NODE_ENV: 'test', REDIS_URL: redisServer.url, JWT_SECRET: TEST_JWT_SECRET }),
      developmentAdminToken: 'dev.admin.token',
    };
    const app = createApp(config);
    try {
      const url = await app.start(0, '127.0.0.1');
      const response = await fetch(new URL('/admin/dev-token', url));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ token: 'dev.admin.token' });
    } finally {
      await app.stop();
      await redisServer.stop();
    }
  });
});
