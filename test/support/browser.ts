import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). playwright-core never downloads one. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Where the browser tests leave their screenshots (not committed; docs/ holds the README's). */
export const SCREENSHOTS = new URL('../screenshots/', import.meta.url);

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A fresh profile each launch (playwright makes one); no background traffic of Chromium's own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page whose requests may only go to `origin`: any other is refused and listed in `foreign`. */
export async function openOfflinePage(
  browser: Browser,
  origin: string,
): Promise<{ context: BrowserContext; page: Page; foreign: string[]; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const foreign: string[] = [];
  const problems: string[] = [];
  await context.route(
    (url) => url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
    (route) => {
      foreign.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  // WebSockets are not routed: check their URL instead.
  context.on('page', (page) => watchSockets(page, origin, foreign));
  const page = await context.newPage();
  watchSockets(page, origin, foreign);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(message.text());
  });
  return { context, page, foreign, problems };
}

function watchSockets(page: Page, origin: string, foreign: string[]) {
  page.on('websocket', (socket) => {
    const url = new URL(socket.url());
    if (`${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}` !== origin) foreign.push(socket.url());
  });
}

/** Bytes the page received over the network (headers and encoded bodies) for every request so far. */
export async function bytesTransferred(requests: readonly import('playwright-core').Request[]): Promise<number> {
  let total = 0;
  for (const request of requests) {
    const sizes = await request.sizes().catch(() => null);
    if (sizes) total += sizes.responseHeadersSize + sizes.responseBodySize;
  }
  return total;
}
