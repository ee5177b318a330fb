import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startTestService, TEST_JWT_SECRET } from './support/harness.ts';
import { startMain } from './support/main-process.ts';

/**
 * Issue 9.10: CORS_ORIGINS is an allowlist (nothing cross-origin in
 * production unless listed; x-request-id exposed), and the development
 * conveniences exist only on loopback.
 */

const EVIL = 'https://evil.example';
const CONSOLE = 'https://console.example';

async function corsHeaders(url: string, origin: string) {
  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
  const actual = await fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return {
    preflightOrigin: preflight.headers.get('access-control-allow-origin'),
    origin: actual.headers.get('access-control-allow-origin'),
    credentials: actual.headers.get('access-control-allow-credentials'),
    exposed: actual.headers.get('access-control-expose-headers'),
  };
}

describe('CORS', () => {
  it('production without CORS_ORIGINS: no origin is allowed', async () => {
    const service = await startTestService({ env: { NODE_ENV: 'production' } });
    try {
      expect(await corsHeaders(service.url, EVIL)).toEqual({
        preflightOrigin: null,
        origin: null,
        credentials: null,
        exposed: null,
      });
    } finally {
      await service.stop();
    }
  });

  it('production with CORS_ORIGINS: the listed origins only, x-request-id exposed, never credentials', async () => {
    const service = await startTestService({
      env: { NODE_ENV: 'production', CORS_ORIGINS: `${CONSOLE}, https://other.example` },
    });
    try {
      expect(await corsHeaders(service.url, CONSOLE)).toEqual({
        preflightOrigin: CONSOLE,
        origin: CONSOLE,
        credentials: null,
        exposed: 'x-request-id',
      });
      expect(await corsHeaders(service.url, EVIL)).toMatchObject({ preflightOrigin: null, origin: null });
    } finally {
      await service.stop();
    }
  });

  it('development on loopback without a list: any origin, without credentials', async () => {
    const service = await startTestService();
    try {
      expect(await corsHeaders(service.url, 'http://localhost:5173')).toMatchObject({
        origin: 'http://localhost:5173',
        credentials: null,
      });
    } finally {
      await service.stop();
    }
  });

  it('refuses an origin that is not scheme://host[:port]', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, CORS_ORIGINS: 'https://a.example/' }),
    ).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, CORS_ORIGINS: '*' })).toThrow(
      /CORS_ORIGINS/,
    );
  });
});

describe('development mode only on loopback', () => {
  it('listens on 127.0.0.1 by default outside production, on every interface in production', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET }).host).toBe('0.0.0.0');
  });

  it('refuses another interface without production settings, saying what to do', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      expect(() => loadConfig({ HOST: host }), host).toThrow(
        /HOST=.* would serve other machines in development mode.*NODE_ENV=production/s,
      );
    }
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1'])
      expect(loadConfig({ HOST: host }).host).toBe(host);
    expect(loadConfig({ HOST: '0.0.0.0', NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET }).host).toBe('0.0.0.0');
  });

  it('npm start with HOST=0.0.0.0 and no NODE_ENV exits 1 before printing any token', async () => {
    const main = startMain({ HOST: '0.0.0.0', PORT: '0' });
    const [code] = await main.exited;
    expect(code).toBe(1);
    expect(main.output()).toMatch(/HOST=0\.0\.0\.0 would serve other machines in development mode/);
    expect(main.output()).not.toMatch(/Bearer|eyJ/);
  });
});
