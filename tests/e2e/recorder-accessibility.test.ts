import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  type AxeViolation,
} from '../support/browser';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import {
  DESKTOP,
  expectNoPageProblems,
  fillDetails,
  openRecorder,
  PHONE,
  sendAndWait,
} from './recorder-page';

// axe-core in every state a listener meets, on a phone and on a desktop; each state is also
// written as a screenshot to tests/e2e/screenshots/ for people to look at (not compared).
describe('recorder page: accessibility and layout', () => {
  let hallo: Harness;
  let browser: Browser;

  beforeAll(async () => {
    [hallo, browser] = await Promise.all([
      startHallo({
        driver: 'disk',
        worker: false,
        // A light accent: text on it must turn dark, links in it must be darkened to stay readable.
        env: {
          PODCAST_NAME: 'Hallo Welt',
          ACCENT_COLOR: '#f2c94c',
          PRIVACY_URL: 'https://podcast.example/datenschutz',
        },
      }),
      launchBrowser({ fakeMicrophoneWav: fixture('speech-16k.wav') }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
  });

  /** Screenshot + axe for one state; violations are collected per state name. */
  async function check(page: Page, name: string, found: Record<string, AxeViolation[]>) {
    await screenshot(page, name);
    found[name] = await seriousAxeViolations(page);
  }

  for (const [device, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`has no serious or critical axe violations from idle to thanks (${device})`, async () => {
      const open = await openRecorder(browser, `${hallo.url}/?topic=Folge%2012`, {
        viewport,
        permissions: ['microphone'],
        reducedMotion: device === 'desktop' ? 'reduce' : 'no-preference',
      });
      const { page } = open;
      const found: Record<string, AxeViolation[]> = {};
      try {
        await check(page, `${device}-idle`, found);

        await page.locator('#record').click();
        await page.locator('#rec-live').waitFor();
        await page.waitForFunction(() =>
          /^0:0[1-9]/.test(document.getElementById('rec-timer')!.textContent!),
        );
        const pulse = await page.evaluate(
          () => getComputedStyle(document.querySelector('.rec-dot')!).animationName,
        );
        expect(pulse).toBe(device === 'desktop' ? 'none' : 'pulse'); // prefers-reduced-motion
        await check(page, `${device}-recording`, found);
        await page.locator('#stop').click();
        await page.locator('#rec-done').waitFor();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('play');
        await check(page, `${device}-recorded`, found);

        await page.locator('#send').click(); // no name, no consent
        await page.locator('#form-errors').waitFor();
        await check(page, `${device}-form-errors`, found);

        // A refusal from the server: a silent file.
        await page.locator('#discard').click();
        await page.locator('#audio-file').setInputFiles(fixture('silent.webm'));
        await page.locator('#rec-done').waitFor();
        await fillDetails(page, { name: 'Ida Zugang', email: 'ida@example.org' });
        expect(await sendAndWait(page)).toBe(422);
        await page.locator('#send-error').waitFor();
        expect(await page.locator('#send-error-hint').textContent()).toBe(
          'Prüfe das Mikrofon und nimm noch einmal auf.',
        );
        await check(page, `${device}-send-error`, found);

        await page.locator('#discard').click();
        await page.locator('#audio-file').setInputFiles(fixture('speech.mp3'));
        await page.locator('#rec-done').waitFor();
        expect(await sendAndWait(page)).toBe(201);
        await page.locator('#thanks').waitFor();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('thanks-title');
        await check(page, `${device}-thanks`, found);
        await expectNoPageProblems(open);
      } finally {
        await open.context.close();
      }
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    });
  }

  it('has no serious or critical axe violations in guidance, in the dark and in the embed (phone)', async () => {
    const found: Record<string, AxeViolation[]> = {};

    const denied = await openRecorder(browser, hallo.url, { viewport: PHONE });
    try {
      await denied.page.locator('#record').click();
      await denied.page.locator('#guidance').waitFor();
      await check(denied.page, 'phone-denied', found);
      await expectNoPageProblems(denied);
    } finally {
      await denied.context.close();
    }

    const inApp = await openRecorder(browser, hallo.url, {
      viewport: PHONE,
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Instagram 334.0.4.32.98',
      locale: 'en-GB',
    });
    try {
      await inApp.page.locator('#in-app-notice').waitFor();
      await check(inApp.page, 'phone-in-app-en', found);
    } finally {
      await inApp.context.close();
    }

    const dark = await openRecorder(browser, hallo.url, { viewport: PHONE, colorScheme: 'dark' });
    try {
      await check(dark.page, 'phone-dark-idle', found);
    } finally {
      await dark.context.close();
    }

    for (const [device, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const embed = await openRecorder(browser, `${hallo.url}/embed`, { viewport });
      try {
        await check(embed.page, `${device}-embed`, found);
        await expectNoPageProblems(embed);
      } finally {
        await embed.context.close();
      }
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });

  it('stays within the screen at 320 px and keeps every control reachable by keyboard', async () => {
    const open = await openRecorder(browser, hallo.url, { viewport: { width: 320, height: 640 } });
    const { page } = open;
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        320,
      );
      const reached = new Set<string>();
      for (let i = 0; i < 20; i += 1) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el?.id || el?.dataset.locale || el?.tagName || '';
        });
        reached.add(id);
      }
      for (const id of [
        'de',
        'en',
        'record',
        'audio-file',
        'name',
        'email',
        'message',
        'consent',
        'send',
      ]) {
        expect(reached).toContain(id);
      }
      expect(reached).not.toContain('website'); // the honeypot stays out of the way
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });
});
