import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot, watchPageProblems } from '../support/browser';
import { startGhost, type GhostServer } from '../support/ghost-server';
import { startHallo, type Harness } from '../support/hallo-harness';
import { approveForEpisode, sendMessages } from '../support/send-messages';
import { openEpisodePanel } from './episode-panel';
import { DESKTOP } from './recorder-page';

const EDITOR = { email: 'eddi@example.org', password: 'editor-password-123' };
const EPISODE = 'Folge 42';

// The newsletter author's click, against a real Ghost: the draft link, then Ghost's own preview.
describe('inbox: send an episode to a Ghost draft in Chromium', () => {
  let ghost: GhostServer;
  let hallo: Harness;
  let browser: Browser;

  beforeAll(async () => {
    ghost = await startGhost();
    [hallo, browser] = await Promise.all([
      startHallo({
        driver: 'disk',
        env: {
          GHOST_URL: ghost.url,
          GHOST_ADMIN_API_KEY: ghost.adminApiKey,
          PODCAST_NAME: 'Deichfunk',
        },
      }),
      launchBrowser(),
    ]);
    await hallo.services.accounts.save(EDITOR.email, 'editor', EDITOR.password);
    const ids = await sendMessages(hallo, [
      [
        'anna',
        'chrome.webm',
        {
          name: 'Anna aus Berlin',
          topic: 'Wetter',
          message: 'Macht weiter so!',
          newsletter: 'true',
        },
      ],
      ['ben', 'safari.mp4', { name: 'Ben Bremen', newsletter: 'true' }],
      ['cem', 'phone.m4a', { name: 'Cem Köln' }],
    ]);
    await approveForEpisode(hallo, Object.values(ids), EPISODE);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
    await ghost?.stop();
  });

  it('shows who stays out, sends, links the draft, and Ghost renders one audio card per clip', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    context.setDefaultTimeout(30000);
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    try {
      const panel = await openEpisodePanel(page, hallo.url, EDITOR, EPISODE);
      await panel.locator('[data-part="newsletter"]:not([hidden])').waitFor();
      await panel.locator('li').nth(2).waitFor();
      expect(await panel.locator('li', { hasText: 'Cem Köln' }).textContent()).toContain(
        'nicht im Newsletter',
      );

      await panel.locator('[data-part="send-ghost"]').click();
      await panel
        .locator('[data-part="ghost-links"]:not([hidden])')
        .waitFor({ timeout: 60_000 })
        .catch(async (error: Error) => {
          const status = await panel.locator('[data-part="ghost-status"]').textContent();
          throw new Error(`${error.message}\nstatus: ${status}\n${(await problems()).join('\n')}`);
        });
      expect(await panel.locator('[data-part="ghost-status"]').textContent()).toBe(
        'Entwurf mit 2 Clips in Ghost.',
      );
      expect(await panel.locator('[data-part="ghost-left"]').textContent()).toContain('Cem Köln');
      const editor = await panel.locator('[data-part="ghost-editor"]').getAttribute('href');
      expect(editor).toMatch(new RegExp(`^${ghost.url}/ghost/#/editor/post/[0-9a-f]{24}$`));
      await screenshot(page, 'desktop-inbox-ghost-draft');
      expect(await problems()).toEqual([]);

      // Ghost's own preview of the draft: its audio cards, in running order, playable.
      const preview = await panel.locator('[data-part="ghost-preview"]').getAttribute('href');
      const ghostPage = await context.newPage();
      await ghostPage.goto(preview!);
      const cards = ghostPage.locator('.kg-audio-card');
      await cards.first().waitFor();
      expect(await ghostPage.locator('.kg-audio-title').allTextContents()).toEqual([
        'Anna aus Berlin — Wetter',
        'Ben Bremen',
      ]);
      // Each listener's note under their card (Ben's is the form's default).
      expect(await ghostPage.locator('blockquote').allTextContents()).toEqual([
        'Macht weiter so!',
        'Hallo!',
      ]);
      const duration = await ghostPage.evaluate(async () => {
        const audio = document.querySelector<HTMLAudioElement>('.kg-audio-card audio')!;
        if (Number.isNaN(audio.duration) || audio.readyState < 1)
          await new Promise((resolve) =>
            audio.addEventListener('loadedmetadata', resolve, { once: true }),
          );
        return audio.duration;
      });
      expect(duration).toBeGreaterThan(3);
      await screenshot(ghostPage, 'ghost-draft-preview');
    } finally {
      await context.close();
    }
  }, 180_000);
});
