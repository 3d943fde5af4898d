import type { Browser, BrowserContext, BrowserContextOptions, Frame, Page } from 'playwright-core';
import type { Harness } from '../support/hallo-harness';
import { watchPageProblems } from '../support/browser';
import { pollUntil } from '../support/poll';

/** What the recorder tests share: opening the page, recording, filling the form, sending. */

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** CSP violations, page errors and console errors seen so far. */
  problems: () => Promise<string[]>;
}

export async function openRecorder(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
  prepare?: (context: BrowserContext) => Promise<unknown>,
): Promise<OpenPage> {
  const context = await browser.newContext({ locale: 'de-DE', viewport: PHONE, ...options });
  context.setDefaultTimeout(15000);
  await prepare?.(context);
  const page = await context.newPage();
  const problems = await watchPageProblems(page);
  await page.goto(url);
  await page.locator('#message-form:not([hidden]), #load-error:not([hidden])').waitFor();
  return { context, page, problems };
}

/** Records from the fake microphone for about `seconds` of the page's own clock. */
export async function record(page: Page | Frame, seconds: number): Promise<void> {
  await page.locator('#record').click();
  await page.locator('#rec-live').waitFor();
  await page.waitForFunction((s) => {
    const m = /^(\d+):(\d\d)/.exec(document.getElementById('rec-timer')?.textContent ?? '');
    return m !== null && Number(m[1]) * 60 + Number(m[2]) >= s;
  }, seconds);
  await page.locator('#stop').click();
  await page.locator('#rec-done').waitFor();
}

export async function fillDetails(
  page: Page | Frame,
  fields: { name: string; email?: string; note?: string; consent?: boolean },
): Promise<void> {
  await page.locator('#name').fill(fields.name);
  if (fields.email) await page.locator('#email').fill(fields.email);
  if (fields.note) await page.locator('#message').fill(fields.note);
  if (fields.consent !== false) await page.locator('#consent').check();
}

/** Clicks send (in the page or one of its frames) and waits for the POST's answer; returns its status. */
export async function sendAndWait(page: Page, frame: Page | Frame = page): Promise<number> {
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/submissions'));
  await frame.locator('#send').click();
  return (await answer).status();
}

/** The admin list's items whose listener name is `name` (each test sends under its own name). */
export async function submissionsNamed(hallo: Harness, name: string): Promise<any[]> {
  const list = await hallo.adminJson('/api/admin/submissions?limit=200');
  return list.items.filter((item: any) => item.name === name);
}

/** The current draft in IndexedDB, as the page stored it (null when none). */
export function readDraft(page: Page): Promise<any> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('hallo-recorder', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('drafts');
        open.onsuccess = () => {
          const get = open.result.transaction('drafts').objectStore('drafts').get('current');
          get.onsuccess = () => {
            const draft = get.result;
            open.result.close();
            resolve(
              draft
                ? {
                    idempotencyKey: draft.idempotencyKey,
                    fields: draft.fields,
                    bytes: draft.audio?.blob?.size ?? draft.audio?.bytes?.byteLength ?? 0,
                  }
                : null,
            );
          };
        };
      }),
  );
}

/** Polls the page's IndexedDB draft until `accept` says yes (the page saves after a short debounce). */
export function waitForDraft(
  page: Page,
  accept: (draft: any) => boolean,
  timeoutMs = 5000,
): Promise<any> {
  return pollUntil(() => readDraft(page), accept, 'draft', timeoutMs);
}

export async function expectNoPageProblems(open: OpenPage): Promise<void> {
  expect(await open.problems()).toEqual([]);
}
