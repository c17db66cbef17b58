// Test support: Debian's Chromium (/usr/bin/chromium, installed by infra/dev/ensure-services.sh)
// driven by playwright-core, headless, with the flags that keep it off the network (this
// machine has none: without them Chromium keeps dialling out), a fresh profile per launch
// (playwright-core gives every launch a new temporary --user-data-dir and removes it after),
// and a record of every request a page makes outside the server's origin.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumFlags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export type TestBrowser = {
  browser: Browser;
  /** A new context (its own storage: another person) at a phone's size unless told. */
  context(options?: { viewport?: { width: number; height: number } }): Promise<BrowserContext>;
  /** Requests any page made to another origin than the server's (should stay empty). */
  foreign: string[];
  /** Errors pages threw or logged. */
  pageErrors: string[];
  close(): Promise<void>;
};

export const phone = { width: 390, height: 844 };

export async function launchBrowser(origin: string): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
  const foreign: string[] = [];
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith(origin.replace(/^http/, 'ws')) && !url.startsWith('data:')) foreign.push(url);
    });
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of (401|403|404)/.test(message.text())) pageErrors.push(`${page.url()}: console: ${message.text()}`);
    });
  };
  return {
    browser,
    foreign,
    pageErrors,
    async context(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? phone, baseURL: origin, deviceScaleFactor: 1 });
      context.on('page', watch);
      // Anything bound elsewhere is refused before it leaves the browser (and recorded).
      await context.route((url) => !url.href.startsWith(origin) && !url.href.startsWith('data:'), (route) => {
        foreign.push(route.request().url());
        return route.abort();
      });
      return context;
    },
    async close() {
      await browser.close();
    },
  };
}
