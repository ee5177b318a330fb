import { createClient } from 'graphql-ws';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { launchChromium, openOfflinePage, SCREENSHOTS } from './support/browser.ts';
import { startTestService, type TestService, useTestService } from './support/harness.ts';
import { TrackLogin } from './support/operations.ts';

const service = useTestService();

describe('GraphiQL in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads every asset from the service and runs a subscription with the token from its Headers tab', async () => {
    const origin = new URL(service.url).origin;
    const { context, page, foreign } = await openOfflinePage(browser, origin);
    await page.goto(service.url);
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await queryEditor.waitFor();
    await queryEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('subscription LiveCount { onlinePlayerCount }');

    await page.getByRole('button', { name: 'Headers' }).click();
    await page.locator('.graphiql-editor-tool .monaco-editor').last().click();
    await page.keyboard.press('Control+A');
    const token = await service.token({ role: 'admin', subject: 'graphiql-user' });
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));

    await page.getByRole('button', { name: /Execute/ }).click();
    // Monaco renders spaces as no-break spaces.
    const response = page.locator('.graphiql-response');
    const shown = async () => (await response.innerText()).replace(/\s+/g, ' ');
    await expect.poll(shown, { timeout: 10_000 }).toMatch(/"onlinePlayerCount": 0/);
    await service.run(TrackLogin, { playerId: 'graphiql-pilot' });
    await expect.poll(shown, { timeout: 5_000 }).toMatch(/"onlinePlayerCount": 1/);
    expect(await shown()).not.toContain('UNAUTHENTICATED');
    await page.screenshot({ path: new URL('graphiql-subscription.png', SCREENSHOTS).pathname });
    expect(foreign).toEqual([]);
    await context.close();
    // The first GraphiQL page of a process compresses its 9 MB bundle, and Chromium parses it.
  }, 60_000);
});

describe('GraphiQL assets', () => {
  it('serves a small page and the bundle as cacheable, gzipped, content-hashed files', async () => {
    const page = await fetch(service.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.length).toBeLessThan(4_000);
    expect(html).not.toMatch(/unpkg|jsdelivr|cdn\./);
    const assets = [...html.matchAll(/\/graphiql\/[\w.-]+\.(?:js|css|ico)/g)].map(([path]) => path);
    expect(assets.length).toBe(6);
    for (const path of assets) {
      const asset = await fetch(new URL(path, service.url), { headers: { 'accept-encoding': 'gzip' } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      await asset.arrayBuffer();
    }
    const script = assets.find((path) => path.includes('yoga-graphiql'))!;
    const raw = await fetch(new URL(script, service.url), { headers: { 'accept-encoding': 'gzip' } });
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    const etag = raw.headers.get('etag')!;
    await raw.arrayBuffer();
    expect((await fetch(new URL(script, service.url), { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(new URL('/graphiql/nothing.js', service.url))).status).toBe(404);
  });

  it('is not served at all with GRAPHIQL=false', async () => {
    const off: TestService = await startTestService({ env: { GRAPHIQL: 'false' } });
    try {
      const page = await fetch(off.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('YogaGraphiQL');
      expect((await fetch(new URL('/graphiql/anything.js', off.url))).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});

interface Outcome {
  data?: unknown;
  errors?: readonly { extensions?: Record<string, unknown> }[];
}

describe('graphql-ws authorization (what GraphiQL and other browser clients send)', () => {
  /** The first result of `subscription { onlinePlayerCount }` over a fresh socket. */
  async function firstResult(
    connectionParams: Record<string, unknown>,
    extensions?: Record<string, unknown>,
  ): Promise<Outcome> {
    const client = createClient({
      url: service.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams,
    });
    try {
      return await new Promise((resolve, reject) => {
        client.subscribe(
          { query: 'subscription { onlinePlayerCount }', ...(extensions ? { extensions } : {}) },
          {
            next: (result) => resolve(result as Outcome),
            error: (error) => (Array.isArray(error) ? resolve({ errors: error as Outcome['errors'] }) : reject(error)),
            complete: () => {},
          },
        );
      });
    } finally {
      await client.dispose();
    }
  }
  const code = (result: Outcome) => result.errors?.[0]?.extensions?.['code'];

  it('accepts the token from the subscribe message extensions.headers (any header case)', async () => {
    const token = await service.token({ role: 'admin', subject: 'graphiql' });
    const result = await firstResult({}, { headers: { Authorization: `Bearer ${token}` } });
    expect(result).toEqual({ data: { onlinePlayerCount: 0 } });
  });

  it('accepts the token from connection_init, flat or under headers', async () => {
    const token = await service.token({ role: 'service', subject: 'dashboard' });
    expect(await firstResult({ authorization: `Bearer ${token}` })).toEqual({ data: { onlinePlayerCount: 0 } });
    expect(await firstResult({ headers: { Authorization: `Bearer ${token}` } })).toEqual({
      data: { onlinePlayerCount: 0 },
    });
  });

  it("uses the connection's token when both carry one", async () => {
    const good = await service.token({ role: 'admin', subject: 'a' });
    const expired = await service.token({ role: 'admin', subject: 'b', expiresIn: '-1m' });
    expect(
      code(await firstResult({ authorization: `Bearer ${expired}` }, { headers: { authorization: `Bearer ${good}` } })),
    ).toBe('UNAUTHENTICATED');
    expect(
      await firstResult({ authorization: `Bearer ${good}` }, { headers: { authorization: `Bearer ${expired}` } }),
    ).toEqual({
      data: { onlinePlayerCount: 0 },
    });
  });

  it('refuses a subscription with no token anywhere, or a bad one in extensions.headers', async () => {
    expect(code(await firstResult({}))).toBe('UNAUTHENTICATED');
    expect(code(await firstResult({}, { headers: { authorization: 'Bearer not-a-jwt' } }))).toBe('UNAUTHENTICATED');
    expect(code(await firstResult({}, { headers: 'authorization: x' }))).toBe('UNAUTHENTICATED');
  });

  it('never takes a token from extensions.headers of an HTTP request (only the Authorization header counts there)', async () => {
    const token = await service.token({ role: 'admin', subject: 'http' });
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ onlinePlayerCount }',
        extensions: { headers: { authorization: `Bearer ${token}` } },
      }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
