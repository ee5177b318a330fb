import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS } from './support/browser.ts';
import { startTestService, type TestService } from './support/harness.ts';
import { TrackLogin, TrackLogout } from './support/operations.ts';

/**
 * The README's browser recipe, run as written on a page of another origin
 * (an admin dashboard elsewhere), against the service.
 */

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const recipe = /<!-- recipe:start -->\s*```html\n([\s\S]*?)```\s*<!-- recipe:end -->/.exec(readme)?.[1];
const graphqlWsBrowserBuild = readFileSync(
  new URL('../node_modules/graphql-ws/umd/graphql-ws.min.js', import.meta.url),
);

let pageServer: Server;
let pageOrigin: string;
let service: TestService;
let browser: Browser;

beforeAll(async () => {
  pageServer = createServer((req, res) => {
    if (req.url === '/graphql-ws.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(graphqlWsBrowserBuild);
    } else {
      const api = service.url;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><meta charset="utf-8">${recipe!.replace('https://api.example.com/graphql', api)}`);
    }
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;
  service = await startTestService({ env: { CORS_ORIGINS: pageOrigin } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await new Promise((resolve) => pageServer?.close(resolve));
});

it("the README's recipe subscribes with a token from another origin and follows the count", async () => {
  expect(recipe).toBeDefined();
  expect(new URL(service.url).origin).not.toBe(pageOrigin);
  const token = await service.token({ role: 'admin', subject: 'dashboard' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((value) => sessionStorage.setItem('adminToken', value), token);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pageOrigin);
  const online = page.locator('#online');
  await expect.poll(() => online.textContent(), { timeout: 5_000 }).toBe('0');
  await service.run(TrackLogin, { playerId: 'recipe-1' });
  await expect.poll(() => online.textContent(), { timeout: 2_000 }).toBe('1');
  await service.run(TrackLogout, { playerId: 'recipe-1' });
  await expect.poll(() => online.textContent(), { timeout: 2_000 }).toBe('0');
  await page.screenshot({ path: new URL('browser-recipe.png', SCREENSHOTS).pathname });
  expect(errors).toEqual([]);
  await context.close();
});
