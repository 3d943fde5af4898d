import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import { loudness } from '../support/measure-audio';
import {
  expectNoPageProblems,
  fillDetails,
  openRecorder,
  readDraft,
  record,
  sendAndWait,
  submissionsNamed,
  waitForDraft,
} from './recorder-page';

// A real browser against a real hallo (API + worker, Redis, ffmpeg); the fake microphone speaks
// the espeak-ng fixture in a loop.
describe('recorder page: record, listen, send', () => {
  let hallo: Harness;
  let browser: Browser;
  let downloads: string;

  beforeAll(async () => {
    [hallo, browser] = await Promise.all([
      startHallo({ driver: 'disk', env: { PODCAST_NAME: 'Hallo Welt' } }),
      launchBrowser({ fakeMicrophoneWav: fixture('speech-16k.wav') }),
    ]);
    downloads = mkdtempSync(path.join(os.tmpdir(), 'hallo-e2e-'));
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  it('records speech, plays it back with a working seek bar, sends it, and the clip holds the speech', async () => {
    const open = await openRecorder(browser, hallo.url, { permissions: ['microphone'] });
    const { page } = open;
    try {
      await record(page, 3);

      // Playback: a real duration, time that advances, a seek bar that reaches the end.
      // The media's own duration, once its metadata is read (WebM may need a scan to learn it).
      const duration = await page
        .waitForFunction(() => {
          const { duration } = document.getElementById('playback') as HTMLAudioElement;
          return Number.isFinite(duration) && duration > 0 && duration;
        })
        .then((handle) => handle.jsonValue());
      expect(duration).toBeGreaterThan(2.5);
      expect(duration).toBeLessThan(6);
      await page.locator('#play').click();
      await page.waitForFunction(
        () => (document.getElementById('playback') as HTMLAudioElement).currentTime > 0.3,
      );
      await expect(page.locator('#player').getAttribute('data-playback')).resolves.toBe('playing');
      await page.locator('#seek').press('End'); // keyboard seek to the end
      await page.waitForFunction(
        () => document.getElementById('player')?.dataset.playback === 'ended',
      );
      expect(await page.locator('#seek').getAttribute('aria-valuetext')).toMatch(/ von 0:0\d$/);

      await fillDetails(page, { name: 'Anna Flow', email: 'anna@example.org', note: 'Hallo!' });
      const status = await sendAndWait(page);
      expect(status).toBe(201);
      await page.locator('#thanks').waitFor();
      expect(await page.locator('#thanks-title').textContent()).toBe('Danke, Anna Flow!');
      expect(await readDraft(page)).toBeNull(); // confirmed: nothing kept any more

      const [item] = await submissionsNamed(hallo, 'Anna Flow');
      const ready = await hallo.waitForProcessing(item.id, ['ready', 'failed']);
      expect(ready.processing.state).toBe('ready');
      expect(ready).toMatchObject({ email: 'anna@example.org', message: 'Hallo!', locale: 'de' });
      expect(ready.original.container).toBe('webm');
      const wav = await hallo.admin(`/api/admin/submissions/${item.id}/audio/wav`);
      expect(wav.status).toBe(200);
      const file = path.join(downloads, 'flow.wav');
      writeFileSync(file, Buffer.from(await wav.arrayBuffer()));
      const measured = await loudness(file);
      expect(measured.integratedLufs).toBeGreaterThan(-18);
      expect(measured.integratedLufs).toBeLessThan(-14);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });

  it('restores an unsent recording from IndexedDB after a reload, and sends it with the same key', async () => {
    const open = await openRecorder(browser, hallo.url, { permissions: ['microphone'] });
    const { page } = open;
    try {
      await record(page, 2);
      await page.locator('#name').fill('Ben Reload');
      const saved = await waitForDraft(page, (draft) => draft.fields?.name === 'Ben Reload');
      expect(saved.bytes).toBeGreaterThan(1000);

      await page.reload();
      await page.locator('#draft-notice').waitFor();
      expect(await page.locator('#draft-text').textContent()).toMatch(
        /^Wir haben deine noch nicht gesendete Nachricht vom .+ wiederhergestellt/,
      );
      expect(await page.locator('#name').inputValue()).toBe('Ben Reload');
      await page.waitForFunction(
        () => Number(document.querySelector('#seek')?.getAttribute('max')) > 1,
      );
      expect(await page.locator('#rec-idle').isHidden()).toBe(true);

      const sentKeys: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/submissions')) sentKeys.push(r.headers()['idempotency-key']!);
      });
      await page.locator('#consent').check();
      // The second, optional box: the newsletter too. Its own text is shown and recorded.
      expect(await page.locator('#newsletter-text').textContent()).toMatch(/^Auch im Newsletter:/);
      await page.locator('#newsletter').check();
      expect(await sendAndWait(page)).toBe(201);
      expect(sentKeys).toEqual([saved.idempotencyKey]);
      const sent = await submissionsNamed(hallo, 'Ben Reload');
      expect(sent).toHaveLength(1);
      const listener = await hallo.services.documents.readListener(sent[0].id);
      expect(listener?.consent.newsletter).toEqual({
        given: true,
        textSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });

  it('does not write a sent message back into the draft when its fields were being saved', async () => {
    // The fields are saved 400 ms after typing; a send that cleared the draft in between had the
    // audio written back (seen once in CI: the draft was still there on the thanks page).
    const open = await openRecorder(browser, hallo.url, { permissions: ['microphone'] });
    const { page } = open;
    try {
      await record(page, 1);
      const saved = await waitForDraft(page, (draft) => Boolean(draft.idempotencyKey));
      const left = await page.evaluate(async (key) => {
        const module = new URL('js/draft-store.js', document.baseURI).href;
        const store = await import(module);
        await Promise.all([
          store.updateDraftFields({ name: 'Late Typing' }, key),
          store.clearDraft(),
        ]);
        return store.loadDraft();
      }, saved.idempotencyKey as string);
      expect(left).toBeNull();
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });

  it('retries a lost upload with the same Idempotency-Key and creates exactly one submission', async () => {
    const open = await openRecorder(browser, hallo.url, { permissions: ['microphone'] });
    const { page } = open;
    try {
      await record(page, 2);
      await fillDetails(page, { name: 'Cem Retry' });

      const keys: string[] = [];
      const statuses: number[] = [];
      await page.route('**/api/submissions', async (route) => {
        keys.push(route.request().headers()['idempotency-key']!);
        const attempt = keys.length;
        if (attempt === 2) {
          // The server stores it, but the answer never reaches the browser.
          const response = await route.fetch();
          statuses.push(response.status());
          return route.abort('connectionreset');
        }
        if (attempt <= 4) return route.abort('connectionreset'); // never reaches the server
        const response = await route.fetch();
        statuses.push(response.status());
        return route.fulfill({ response });
      });

      await page.locator('#send').click();
      // Three automatic retries (1 s, 2 s, 4 s) fail too; then the listener is offered a button.
      await page.locator('#retry').waitFor({ timeout: 20000 });
      expect(keys).toHaveLength(4);
      expect(await page.locator('#send-error-message').textContent()).toBe(
        'Die Verbindung ist abgebrochen.',
      );
      expect(await page.locator('#send-error-hint').textContent()).toBe(
        'Wir behalten deine Aufnahme. Versuche es gleich noch einmal.',
      );
      expect(await readDraft(page)).not.toBeNull();

      await page.locator('#retry').click();
      await page.locator('#thanks').waitFor();
      expect(statuses).toEqual([201, 200]); // the manual retry got the stored one back
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
      expect(await submissionsNamed(hallo, 'Cem Retry')).toHaveLength(1);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });
});
