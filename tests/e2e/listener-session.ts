import type { ListenerBrowser, ListenerPage, Viewport } from '../support/listener-browser';
import { pollUntil } from '../support/poll';

/** The listener's page in any engine: open, record, fill, send, inspect. */

/** A fresh profile (its own IndexedDB) with the page loaded, at a phone's size by default. */
export async function openListenerPage(
  browser: ListenerBrowser,
  url: string,
  viewport: Viewport = { width: 390, height: 844 },
): Promise<ListenerPage> {
  const page = await browser.open(viewport);
  await page.goto(url);
  await shown(page, '#message-form, #load-error');
  return page;
}

/** Runs `check(arg)` in the page until it is true (20 s at most). */
export async function waitUntil<A>(
  page: ListenerPage,
  check: (arg: A) => boolean,
  arg: A,
  what: string,
): Promise<void> {
  await pollUntil(
    () => page.run(check, arg),
    (ok) => ok,
    what,
    20_000,
  );
}

/** Waits until an element matching `selector` is rendered (not hidden, laid out). */
export const shown = (page: ListenerPage, selector: string): Promise<void> =>
  waitUntil(
    page,
    (s) =>
      [...document.querySelectorAll(s)].some(
        (el) => !(el as HTMLElement).hidden && el.getClientRects().length > 0,
      ),
    selector,
    `${selector} shown`,
  );

export const textOf = (page: ListenerPage, selector: string): Promise<string> =>
  page.run((s) => document.querySelector(s)?.textContent ?? '', selector);

/** Records from the engine's fake microphone for `seconds` of the page's own clock. */
export async function recordFor(
  page: ListenerPage,
  seconds: number,
  whileRecording?: () => Promise<void>,
): Promise<void> {
  await page.click('#record');
  await shown(page, '#rec-live');
  await whileRecording?.();
  await waitUntil(
    page,
    (s) => {
      const clock = /^(\d+):(\d\d)/.exec(document.getElementById('rec-timer')?.textContent ?? '');
      return clock !== null && Number(clock[1]) * 60 + Number(clock[2]) >= s;
    },
    seconds,
    `${seconds} s recorded`,
  );
  await page.click('#stop');
  await shown(page, '#rec-done');
}

export async function nameAndConsent(page: ListenerPage, name: string): Promise<void> {
  await page.fill('#name', name);
  await page.click('#consent');
}

/** Sends and waits for the page to say how it went: thanks, or the server's refusal. */
export async function send(page: ListenerPage): Promise<'thanks' | 'refused'> {
  await page.click('#send');
  await shown(page, '#thanks, #send-error').catch(async (e) => {
    if (process.env.DEBUG_SEND) {
      await page.screenshot('/tmp/wk/send-fail.png');
      console.log(await page.run(() => document.body.innerText.slice(0, 3000), null));
    }
    throw e;
  });
  const thanked = await page.run(() => !document.getElementById('thanks')?.hidden, null);
  if (!thanked && process.env.DEBUG_SEND) console.log(await textOf(page, '#send-error'));
  return thanked ? 'thanks' : 'refused';
}

/** The player's length in seconds, as its seek bar offers it. */
export const playerSeconds = (page: ListenerPage): Promise<number> =>
  page.run(() => Number(document.querySelector('#seek')?.getAttribute('max')), null);

export interface DraftSummary {
  name?: string;
  mimeType?: string;
}

/** The unsent message in IndexedDB: the name typed and what the engine's MediaRecorder made. */
export function readDraft(page: ListenerPage): Promise<DraftSummary | null> {
  return page.run(
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
    null,
  );
}

export function waitForDraft(
  page: ListenerPage,
  accept: (draft: DraftSummary) => boolean,
): Promise<DraftSummary> {
  return pollUntil(() => readDraft(page), accept, 'draft');
}

/** What the page's own recorder prefers in this engine (the first type it supports). */
export const preferredMimeType = (page: ListenerPage): Promise<string> =>
  page.runExpression("import('/js/recorder.js').then((m) => m.pickMimeType())");

/** The container hallo sniffs from a recording of this MIME type. */
export function containerOf(mimeType: string): string {
  if (mimeType.startsWith('audio/webm')) return 'webm';
  if (mimeType.startsWith('audio/ogg')) return 'ogg';
  if (mimeType.startsWith('audio/mp4')) return 'mp4';
  throw new Error(`no container known for ${mimeType}`);
}
