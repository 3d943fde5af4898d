import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  watchPageProblems,
} from '../support/browser';
import { fixture } from '../support/fixtures';
import { approveForEpisode, sendMessages } from '../support/send-messages';
import { startHallo, type Harness } from '../support/hallo-harness';
import { probeChapters } from '../support/probe-chapters';
import { openEpisodePanel } from './episode-panel';
import { DESKTOP } from './recorder-page';

const EDITOR = { email: 'eddi@example.org', password: 'editor-password-123' };
const OWNER = { email: 'olga@example.org', password: 'owner-password-123' };
const EPISODE = 'Folge 42';

// The editor's side of the next edition: order the episode's clips, render, download.
describe('inbox: running order and voice segment in Chromium', () => {
  let hallo: Harness;
  let browser: Browser;
  let dir: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    [hallo, browser] = await Promise.all([startHallo({ driver: 'disk' }), launchBrowser()]);
    dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-segment-e2e-'));
    await hallo.services.accounts.save(EDITOR.email, 'editor', EDITOR.password);
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
    const messages = [
      ['anna', 'chrome.webm', { name: 'Anna aus Berlin', topic: 'Wetter' }],
      ['ben', 'safari.mp4', { name: 'Ben Bremen' }],
      ['cem', 'phone.m4a', { name: 'Cem Köln', topic: '<b>Technik</b>' }],
    ] as const;
    Object.assign(ids, await sendMessages(hallo, messages));
    await approveForEpisode(hallo, Object.values(ids), EPISODE);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reorders by keyboard and by dragging, renders with progress, and downloads the MP3', async () => {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: DESKTOP,
      acceptDownloads: true,
    });
    context.setDefaultTimeout(20000);
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    try {
      const panel = await openEpisodePanel(page, hallo.url, EDITOR, EPISODE);
      await panel.locator('li').nth(2).waitFor();
      const titles = () => panel.locator('.episode-clip-title').allTextContents();
      expect(await titles()).toEqual([
        'Anna aus Berlin — Wetter',
        'Ben Bremen',
        'Cem Köln — <b>Technik</b>',
      ]);
      expect(await seriousAxeViolations(page, '#episode-panel')).toEqual([]);
      // Editors see the jingles but cannot change them.
      expect(await panel.locator('[data-part="jingle-list"] li').count()).toBe(3);
      expect(await panel.locator('[data-part="jingle-list"] input[type="file"]').count()).toBe(0);

      // Keyboard: Cem up by one; the focus stays on Cem's arrow.
      await panel.getByRole('button', { name: '„Cem Köln — <b>Technik</b>“ nach oben' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() =>
        document
          .querySelector('#episode-panel li:nth-child(2) .episode-clip-title')
          ?.textContent?.startsWith('Cem'),
      );
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
        '„Cem Köln — <b>Technik</b>“ nach oben',
      );
      expect(await page.locator('#announce').textContent()).toContain('Stelle 2 von 3');
      // Drag: Ben (last now) onto the first place.
      await panel.locator('li').nth(2).dragTo(panel.locator('li').nth(0));
      await page.waitForFunction(
        () =>
          document.querySelector('#episode-panel li .episode-clip-title')?.textContent ===
          'Ben Bremen',
      );
      const order = ['Ben Bremen', 'Anna aus Berlin — Wetter', 'Cem Köln — <b>Technik</b>'];
      expect(await titles()).toEqual(order);
      expect((await hallo.services.episodes.readOrder(EPISODE))?.ids).toEqual([
        ids.ben,
        ids.anna,
        ids.cem,
      ]);

      // Render: the status follows the job until it is ready, then the files are offered.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { __statuses: string[] }).__statuses = seen;
        const status = document.querySelector('#episode-panel [data-part="status"]')!;
        new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
      await panel.locator('[data-part="render"]').click();
      await panel.locator('[data-part="downloads"]:not([hidden])').waitFor({ timeout: 60_000 });
      const statuses = await page.evaluate(
        () => (window as unknown as { __statuses: string[] }).__statuses,
      );
      expect(statuses.some((s) => /wartet|wird erstellt/.test(s))).toBe(true);
      expect(statuses.at(-1)).toMatch(/^Segment fertig \(\d+:\d\d\)\.$/);
      await screenshot(page, 'desktop-inbox-segment');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        panel.locator('[data-file="segment.mp3"]').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^\d{4}-\d\d-\d\d_folge-42_segment\.mp3$/);
      const file = path.join(dir, 'segment.mp3');
      await download.saveAs(file);
      expect(probeChapters(file).chapters.map((c) => c.tags?.title)).toEqual(order);
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('lets the owner upload and remove a jingle from the panel', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    context.setDefaultTimeout(20000);
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    try {
      const panel = await openEpisodePanel(page, hallo.url, OWNER, EPISODE);
      await panel.locator('[data-part="jingles"] summary').click();
      await panel.locator('input[data-slot="intro"]').setInputFiles(fixture('tone-burst.wav'));
      await page.waitForFunction(() =>
        document.getElementById('announce')?.textContent?.startsWith('Intro: gespeichert'),
      );
      const intro = panel.locator('[data-part="jingle-list"] li').first();
      await intro.locator('audio').waitFor();
      expect((await hallo.services.jingles.all()).intro?.uploadedBy).toBe(OWNER.email);
      // A file that is not audio is refused in words, and nothing changes.
      await panel.locator('input[data-slot="outro"]').setInputFiles(fixture('text.txt'));
      await page.waitForFunction(
        () => !document.getElementById('announce')?.textContent?.startsWith('Intro'),
      );
      expect((await hallo.services.jingles.all()).outro).toBeUndefined();
      await intro.getByRole('button', { name: 'Intro: Entfernen' }).click();
      await intro.locator('audio').waitFor({ state: 'detached' });
      expect(await hallo.services.jingles.all()).toEqual({});
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
