import type { Browser, ElementHandle } from 'puppeteer-core';
import type { ListenerBrowser, ListenerPage, Viewport } from './listener-browser';

/** Chromium or Firefox through puppeteer-core: each page in its own browser context. */
export function puppeteerListener(browser: Browser): ListenerBrowser {
  return {
    async open(viewport: Viewport): Promise<ListenerPage> {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${(error as Error).message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
          problems.push(`console: ${message.text()}`);
      });
      await page.setViewport(viewport);
      return {
        problems,
        goto: async (url) => void (await page.goto(url)),
        reload: async () => void (await page.reload()),
        back: async () => void (await page.goBack()),
        click: (selector) => page.locator(selector).click(),
        fill: (selector, value) => page.locator(selector).fill(value),
        async upload(selector, file) {
          const input = (await page.$(selector)) as ElementHandle<HTMLInputElement>;
          await input.uploadFile(file);
        },
        async press(selector, key) {
          await page.focus(selector);
          await page.keyboard.press(key);
        },
        run: (fn, arg) => page.evaluate(fn as (arg: unknown) => unknown, arg) as never,
        runExpression: (expression) => page.evaluate(expression) as never,
        screenshot: async (file) => void (await page.screenshot({ path: file, fullPage: true })),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
