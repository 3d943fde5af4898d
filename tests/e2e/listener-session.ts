import type { Browser, BrowserContext, ElementHandle, Page } from 'puppeteer-core';
import { pollUntil } from '../support/poll';

/** The listener's page in any engine (puppeteer-core's API): open, record, fill, send, inspect. */

export interface Viewport {
  width: number;
  height: number;
}

export interface ListenerSession {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh profile (its own IndexedDB) with the page loaded at a phone's size. */
export async function openListenerPage(
  browser: Browser,
  url: string,
  viewport: Viewport = { width: 390, height: 844 },
): Promise<ListenerSession> {
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
  await page.goto(url);
  await page.waitForSelector('#message-form:not([hidden]), #load-error:not([hidden])');
  return { context, page, problems, close: () => context.close() };
}

export const shown = (page: Page, selector: string) =>
  page.waitForSelector(selector, { visible: true });

export const textOf = (page: Page, selector: string): Promise<string> =>
  page.$eval(selector, (el) => el.textContent ?? '');

/** Records from the engine's fake microphone for `seconds` of the page's own clock. */
export async function recordFor(page: Page, seconds: number): Promise<void> {
  await page.locator('#record').click();
  await shown(page, '#rec-live');
  await page.waitForFunction(
    (s: number) => {
      const clock = /^(\d+):(\d\d)/.exec(document.getElementById('rec-timer')?.textContent ?? '');
      return clock !== null && Number(clock[1]) * 60 + Number(clock[2]) >= s;
    },
    {},
    seconds,
  );
  await page.locator('#stop').click();
  await shown(page, '#rec-done');
}

export async function chooseFile(page: Page, file: string): Promise<void> {
  const input = (await page.$('#audio-file')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(file);
}

export async function nameAndConsent(page: Page, name: string): Promise<void> {
  await page.locator('#name').fill(name);
  await page.locator('#consent').click();
}

/** Sends and waits for the page to say how it went: thanks, or the server's refusal. */
export async function send(page: Page): Promise<'thanks' | 'refused'> {
  await page.locator('#send').click();
  const outcome = await page.waitForSelector('#thanks:not([hidden]), #send-error:not([hidden])');
  return (await outcome?.evaluate((el) => el.id)) === 'thanks' ? 'thanks' : 'refused';
}

/** The player's length in seconds, as its seek bar offers it. */
export const playerSeconds = (page: Page): Promise<number> =>
  page.$eval('#seek', (el) => Number(el.getAttribute('max')));

export interface DraftSummary {
  name?: string;
  mimeType?: string;
}

/** The unsent message in IndexedDB: the name typed and what the engine's MediaRecorder made. */
export function readDraft(page: Page): Promise<DraftSummary | null> {
  return page.evaluate(
    () =>
      new Promise<DraftSummary | null>((resolve) => {
        const open = indexedDB.open('hallo-recorder', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('drafts');
        open.onsuccess = () => {
          const get = open.result.transaction('drafts').objectStore('drafts').get('current');
          get.onsuccess = () => {
            open.result.close();
            const draft = get.result;
            resolve(draft ? { name: draft.fields?.name, mimeType: draft.audio?.mimeType } : null);
          };
        };
      }),
  );
}

/** Polls the draft until `accept` says yes (the page saves it after a short pause in typing). */
export function waitForDraft(
  page: Page,
  accept: (draft: DraftSummary) => boolean,
): Promise<DraftSummary> {
  return pollUntil(() => readDraft(page), accept, 'draft');
}

/** What the page's own recorder prefers in this engine (the first type it supports). */
export const preferredMimeType = (page: Page): Promise<string> =>
  page.evaluate("import('/js/recorder.js').then((m) => m.pickMimeType())") as Promise<string>;

/** The container hallo sniffs from a recording of this MIME type. */
export function containerOf(mimeType: string): string {
  if (mimeType.startsWith('audio/webm')) return 'webm';
  if (mimeType.startsWith('audio/ogg')) return 'ogg';
  if (mimeType.startsWith('audio/mp4')) return 'mp4';
  throw new Error(`no container known for ${mimeType}`);
}
