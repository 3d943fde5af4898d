import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SCREENSHOT_DIR } from '../support/browser';
import { CANNOT, ENGINES, launchEngine, type EngineName } from '../support/engines';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import type { ListenerBrowser, ListenerPage } from '../support/listener-browser';
import { nameAndConsent, openListenerPage, send, shown, waitUntil } from './listener-session';

/** The phones listeners arrive on: a small iPhone SE, a current iPhone, a common Android. */
const PHONES = [
  { width: 320, height: 568 },
  { width: 390, height: 844 },
  { width: 412, height: 915 },
];

interface LayoutProblems {
  /** How far the page scrolls sideways, in px (0: it fits). */
  overflowX: number;
  /** Controls whose tappable box (the control or its label) is under 44 × 44 px. */
  small: string[];
  /** Elements whose text is wider than their box and cut off. */
  cut: string[];
}

/** What a person would see wrong on this screen, measured in the page. */
function layoutProblems(page: ListenerPage): Promise<LayoutProblems> {
  return page.run(() => {
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null;
    const describe = (el: Element) => `${el.tagName.toLowerCase()}#${el.id || el.className}`;
    const box = (el: Element) => el.getBoundingClientRect();
    const small: string[] = [];
    for (const el of document.querySelectorAll('button, a.button, input, textarea, select')) {
      // Hidden from people (the bots' honeypot) is not a control.
      if (!visible(el) || el.closest('[aria-hidden="true"]')) continue;
      // A checkbox or a file input is tapped through its label.
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
      const rects = [box(el), ...(label && visible(label) ? [box(label)] : [])];
      if (!rects.some((r) => r.width >= 44 && r.height >= 44))
        small.push(
          `${describe(el)} ${Math.round(rects[0]!.width)}×${Math.round(rects[0]!.height)}`,
        );
    }
    const cut: string[] = [];
    for (const el of document.querySelectorAll('button, .button, h1, h2, h3, label, p, li')) {
      if (!visible(el)) continue;
      const style = getComputedStyle(el);
      if (style.overflow === 'visible' && style.textOverflow !== 'ellipsis') continue;
      if (el.scrollWidth > el.clientWidth + 1) cut.push(describe(el));
    }
    const overflowX = Math.max(0, document.documentElement.scrollWidth - window.innerWidth);
    return { overflowX, small, cut };
  }, null);
}

async function capture(page: ListenerPage, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot(path.join(SCREENSHOT_DIR, `${name}.png`));
}

// Every state of the page at each phone size, in both languages, for each engine: measured for
// horizontal scrolling, small controls and cut text, and written to tests/e2e/screenshots/.
const PHONE_ENGINES = ENGINES.filter((engine) => !CANNOT[engine]?.phoneWidth);

describe.each(PHONE_ENGINES)('the listener page on phones in %s', (engine: EngineName) => {
  let hallo: Harness;
  let browser: ListenerBrowser;

  beforeAll(async () => {
    [hallo, browser] = await Promise.all([
      startHallo({ driver: 'disk', worker: false, env: { PODCAST_NAME: 'Hallo Welt' } }),
      launchEngine(engine, { microphone: 'granted', fakeMicrophoneWav: fixture('speech-16k.wav') }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
  });

  it.each(
    PHONES.flatMap((phone) => (['de', 'en'] as const).map((locale) => ({ ...phone, locale }))),
  )('$width × $height in $locale: idle, recording, recorded, incomplete, sent', async (phone) => {
    const { width, height, locale } = phone;
    const page = await openListenerPage(browser, `${hallo.url}/?lang=${locale}`, {
      width,
      height,
    });
    const seen: Record<string, LayoutProblems> = {};
    const look = async (state: string) => {
      seen[state] = await layoutProblems(page);
      await capture(page, `${engine}-${width}x${height}-${locale}-${state}`);
    };
    try {
      await look('idle');
      await page.click('#record');
      await shown(page, '#rec-live');
      await look('recording');
      await waitUntil(
        page,
        () => /^0:0[2-9]/.test(document.getElementById('rec-timer')?.textContent ?? ''),
        null,
        '2 s recorded',
      );
      await page.click('#stop');
      await shown(page, '#rec-done');
      await look('recorded');
      await page.click('#send'); // no name, no consent: the page says what is missing
      await shown(page, '#form-errors');
      await look('incomplete');
      await nameAndConsent(page, `Phone ${engine} ${width} ${locale}`);
      expect(await send(page)).toBe('thanks');
      await look('sent');

      for (const [state, problems] of Object.entries(seen)) {
        expect({ state, ...problems }).toEqual({ state, overflowX: 0, small: [], cut: [] });
      }
      expect(page.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
