import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  watchPageProblems,
  type AxeViolation,
} from '../support/browser';
import { fixture } from '../support/fixtures';
import { cleanMessage, mix, writeWav } from '../support/noisy-speech';
import { sendMessages } from '../support/send-messages';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { probe } from '../support/measure-audio';
import { unzip } from '../support/unzip';
import { DESKTOP, PHONE } from './recorder-page';
import { signInToInbox } from './inbox-session';

const OWNER = { email: 'olga@example.org', password: 'owner-password-123' };
const EDITOR = { email: 'eddi@example.org', password: 'editor-password-123' };

// The author's and editor's side in a real browser against a real hallo with its worker.
describe('inbox: sign in, review, download, export, erase', () => {
  let hallo: Harness;
  let browser: Browser;
  let dir: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    [hallo, browser] = await Promise.all([
      startHallo({ driver: 'disk', env: { PODCAST_NAME: 'Hallo Welt' } }),
      launchBrowser(),
    ]);
    dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-inbox-'));
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
    await hallo.services.accounts.save(EDITOR.email, 'editor', EDITOR.password);
    const messages = [
      // One stereo side inverted: the clip is made from the corrected channels. (The oldest.)
      ['eva', 'stereo-inverted.wav', { name: 'Eva Essen' }],
      ['anna', 'chrome.webm', { name: 'Anna aus Berlin', topic: 'Wetter', message: 'Hallo ihr!' }],
      ['ben', 'safari.mp4', { name: 'Ben Bremen', message: 'Zur Technik' }],
      ['cem', 'phone.m4a', { name: 'Cem Köln', email: 'cem@example.org' }],
      ['dora', 'speech.mp3', { name: 'Dora Dortmund', email: 'Dora@Example.org' }],
    ] as const;
    Object.assign(ids, await sendMessages(hallo, messages));
    // A kitchen with a humming fridge: the clip is cleaned, and the author can undo it.
    const hummed = path.join(dir, 'kitchen.wav');
    writeWav(mix(cleanMessage('de'), 'hum', 10), hummed);
    const kitchen = await hallo.upload({
      audio: { path: hummed, type: 'audio/wav' },
      fields: { ...validFields, name: 'Fiona Fulda' },
    });
    ids.fiona = kitchen.body.id;
    for (const id of Object.values(ids)) await hallo.waitForProcessing(id, ['ready']);
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const signIn = (page: Page, who: { email: string; password: string }) =>
    signInToInbox(page, hallo.url, who);

  const rowOf = (page: Page, key: string) => page.locator(`#list [data-id="${ids[key]}"]`);

  it('signs in, plays, approves, tags, downloads a WAV and the episode bundle, and erases', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    page.on('dialog', (dialog) => void dialog.accept());
    const found: Record<string, AxeViolation[]> = {};
    try {
      await page.goto(`${hallo.url}/inbox`);
      await page.locator('#sign-in:not([hidden])').waitFor();
      found.signIn = await seriousAxeViolations(page);
      await screenshot(page, 'desktop-inbox-sign-in');
      await page.locator('#sign-in-email').fill(OWNER.email);
      await page.locator('#sign-in-password').fill('wrong-password-1');
      await page.locator('#sign-in-submit').click();
      await page.locator('#sign-in-error:not([hidden])').waitFor();
      expect(await page.locator('#sign-in-error').textContent()).toBe(
        'E-Mail-Adresse oder Passwort stimmen nicht.',
      );
      await signIn(page, OWNER);
      expect(await page.locator('#who-name').textContent()).toBe(OWNER.email);

      // The new messages, newest first, with their small waveforms.
      await rowOf(page, 'anna').waitFor();
      const names = await page.locator('#list .row-name').allTextContents();
      expect(names).toEqual([
        'Fiona Fulda',
        'Dora Dortmund',
        'Cem Köln',
        'Ben Bremen',
        'Anna aus Berlin',
        'Eva Essen',
      ]);
      expect(await page.locator('#list .mini-wave').count()).toBe(6);

      await rowOf(page, 'anna').click();
      await page.locator('#detail:not([hidden])').waitFor();
      expect(await page.locator('#detail-name').textContent()).toBe('Anna aus Berlin');
      expect(await page.locator('#d-processing').textContent()).toMatch(
        /^Fertig: 0:0\d, WAV -1[5-7]\.\d LUFS, MP3 -1[5-7]\.\d LUFS/,
      );
      await page.locator('#d-play').click();
      await page.waitForFunction(
        () => (document.getElementById('d-audio') as HTMLAudioElement).currentTime > 0.3,
      );
      await page.keyboard.press('Space'); // pause by shortcut
      await page.waitForFunction(
        () => (document.getElementById('d-audio') as HTMLAudioElement).paused,
      );
      found.detail = await seriousAxeViolations(page);
      await screenshot(page, 'desktop-inbox-detail');

      // Approve with the keyboard, tag for an episode, note.
      await page.keyboard.press('a');
      await page.waitForFunction(
        () => document.getElementById('d-approve')?.getAttribute('aria-pressed') === 'true',
      );
      const saved = () => page.waitForResponse((r) => r.request().method() === 'PATCH' && r.ok());
      await page.locator('#d-episode').fill('Folge 12');
      await Promise.all([saved(), page.locator('#d-episode-save').click()]);
      await page.locator('#d-note').fill('Als Einstieg');
      await Promise.all([saved(), page.locator('#d-note-save').click()]);
      await page.waitForFunction(() =>
        document.getElementById('d-review-state')?.textContent?.includes('olga@example.org'),
      );
      const stored = await hallo.adminJson(`/api/admin/submissions/${ids.anna}`);
      expect(stored.review).toMatchObject({
        state: 'approved',
        episode: 'Folge 12',
        note: 'Als Einstieg',
        updatedBy: OWNER.email,
      });

      // j/k walk the list; r rejects.
      await page.locator('#detail-name').focus();
      await page.keyboard.press('k');
      await page.waitForFunction(
        () => document.getElementById('detail-name')?.textContent === 'Ben Bremen',
      );
      await page.keyboard.press('r');
      await page.waitForFunction(
        () => document.getElementById('d-reject')?.getAttribute('aria-pressed') === 'true',
      );
      expect((await hallo.adminJson(`/api/admin/submissions/${ids.ben}`)).review.state).toBe(
        'rejected',
      );

      // Download a single WAV.
      await rowOf(page, 'anna').click();
      await page.waitForFunction(
        () => document.getElementById('detail-name')?.textContent === 'Anna aus Berlin',
      );
      const [wav] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#d-dl-wav').click(),
      ]);
      expect(wav.suggestedFilename()).toMatch(/^\d{4}-\d\d-\d\d_anna-aus-berlin_[0-9a-z]{8}\.wav$/);
      const wavFile = path.join(dir, 'single.wav');
      await wav.saveAs(wavFile);
      expect(await probe(wavFile)).toMatchObject({
        codec: 'pcm_s24le',
        channels: 1,
        sampleRate: 48000,
      });

      // The episode bundle from the episode filter.
      await page.locator('[data-review=""]').click();
      await page.locator('#filter-episode').fill('Folge 12');
      await page.locator('#bundle-bar:not([hidden])').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('#list .row').length === 1);
      await screenshot(page, 'desktop-inbox-episode');
      const [bundle] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#bundle-link').click(),
      ]);
      expect(bundle.suggestedFilename()).toMatch(/_folge-12\.zip$/);
      const zipFile = path.join(dir, 'bundle.zip');
      await bundle.saveAs(zipFile);
      const entries = await unzip(await readFile(zipFile));
      const wavs = [...entries.keys()].filter((n) => n.endsWith('.wav'));
      expect(wavs).toEqual([expect.stringMatching(/^1_.*_anna-aus-berlin_.*\.wav$/)]);
      const csvRows = entries.get('clips.csv')!.toString('utf8').trim().split('\r\n');
      expect(csvRows).toHaveLength(2);
      expect(csvRows[1]).toContain(`1,${wavs[0]},Anna aus Berlin,Wetter,Hallo ihr!,Als Einstieg,`);
      writeFileSync(path.join(dir, 'bundled.wav'), entries.get(wavs[0]!)!);
      expect(await probe(path.join(dir, 'bundled.wav'))).toMatchObject({
        channels: 1,
        sampleRate: 48000,
      });

      // After the edit: the episode's approved clips are marked as used in it.
      await page.locator('#bundle-used').click();
      await page.waitForFunction(() =>
        document.getElementById('announce')?.textContent?.startsWith('1 Clips als verwendet'),
      );
      expect((await hallo.adminJson(`/api/admin/submissions/${ids.anna}`)).review).toMatchObject({
        state: 'used',
        episode: 'Folge 12',
      });

      // Erase Cem: nothing of him stays in storage or Redis.
      await page.locator('#filter-episode').fill('');
      await rowOf(page, 'cem').waitFor();
      await rowOf(page, 'cem').click();
      await page.waitForFunction(
        () => document.getElementById('detail-name')?.textContent === 'Cem Köln',
      );
      await page.locator('#d-delete').click();
      await page.locator('#detail').waitFor({ state: 'hidden' });
      await rowOf(page, 'cem').waitFor({ state: 'detached' });
      expect(await page.locator('#announce').textContent()).toMatch(
        /^„Cem Köln“ wurde gelöscht \(\d+ Dateien\)\./,
      );
      expect((await hallo.objectKeys()).filter((k) => k.includes(ids.cem!))).toEqual([]);
      const traces = [];
      for (const key of await hallo.redisKeys()) {
        if (key.includes(ids.cem!)) traces.push(key);
        if (
          (await hallo.services.redis.type(key)) === 'zset' &&
          (await hallo.services.redis.zscore(key, ids.cem!)) !== null
        )
          traces.push(key);
      }
      expect(traces).toEqual([]);
      expect(await hallo.services.index.idsByEmail('cem@example.org')).toEqual([]);

      // An erasure request by e-mail address, in any case.
      await page.locator('#erasure-email').fill('dora@EXAMPLE.org');
      await page.locator('#erasure-form button').click();
      await page.waitForFunction(() =>
        document.getElementById('erasure-result')?.textContent?.startsWith('1 Nachrichten'),
      );
      await rowOf(page, 'dora').waitFor({ state: 'detached' });
      expect((await hallo.objectKeys()).filter((k) => k.includes(ids.dora!))).toEqual([]);

      await page.locator('#sign-out').click();
      await page.locator('#sign-in:not([hidden])').waitFor();
      expect((await page.request.get(`${hallo.url}/api/admin/submissions`)).status()).toBe(401);
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
    expect(found).toEqual({ signIn: [], detail: [] });
  });

  it('says in the message when its clip was made from corrected channels', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    try {
      await signIn(page, OWNER);
      await page.locator('[data-review=""]').click();
      await rowOf(page, 'eva').click();
      const note = page.locator('#d-processing .channel-note');
      await note.waitFor();
      expect(await note.getAttribute('data-channel-mode')).toBe('polarity-corrected');
      expect(await note.textContent()).toMatch(/umgekehrte Polarität/);
      // An ordinary message says nothing about its channels.
      await rowOf(page, 'ben').click();
      await page.locator('#detail-name', { hasText: 'Ben Bremen' }).waitFor();
      expect(await page.locator('#d-processing .channel-note').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('says what the noise stage removed, and switches the clip to the original and back', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    context.setDefaultTimeout(20000);
    const page = await context.newPage();
    try {
      await signIn(page, OWNER);
      await page.locator('[data-review=""]').click();
      await rowOf(page, 'fiona').click();
      await page.locator('#d-processing .noise-note[data-note="hum"]').waitFor();
      expect(await page.locator('#d-processing .noise-note[data-note="hum"]').textContent()).toBe(
        ' Brummen 50 Hz entfernt.',
      );
      await page.locator('#d-noise-toggle', { hasText: 'Ohne Rauschminderung' }).click();
      // Rendered again by the worker; the page follows on its own.
      await page.locator('#d-processing .noise-note[data-note="noise-original"]').waitFor();
      expect(await page.locator('#d-processing .noise-note[data-note="hum"]').count()).toBe(0);
      const stored = await hallo.adminJson(`/api/admin/submissions/${ids.fiona}`);
      expect([stored.review.noise, stored.processing.noise.untouched]).toEqual([
        'original',
        'original',
      ]);
      await page.locator('#d-noise-toggle', { hasText: 'Mit Rauschminderung' }).click();
      await page.locator('#d-processing .noise-note[data-note="hum"]').waitFor();
      // A message with nothing to clean offers no switch.
      await rowOf(page, 'ben').click();
      await page.locator('#detail-name', { hasText: 'Ben Bremen' }).waitFor();
      expect(await page.locator('#d-noise-toggle').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('shows an editor no decision or delete, in English on a phone', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: PHONE });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    try {
      // Independent of the test before: Anna is tagged for Folge 12 here.
      await hallo.admin(`/api/admin/submissions/${ids.anna}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'approved', episode: 'Folge 12' }),
      });
      await signIn(page, EDITOR);
      expect(await page.locator('#who-role').textContent()).toBe('Editor');
      await page.locator('[data-review=""]').click();
      await rowOf(page, 'anna').waitFor();
      await rowOf(page, 'anna').click();
      await page.locator('#detail:not([hidden])').waitFor();
      expect(await page.locator('#d-approve').isDisabled()).toBe(true);
      expect(await page.locator('#d-delete').isHidden()).toBe(true);
      await page.locator('#d-used').click();
      await page.waitForFunction(() =>
        document.getElementById('d-review-state')?.textContent?.startsWith('Used in Folge 12'),
      );
      expect((await hallo.adminJson(`/api/admin/submissions/${ids.anna}`)).review.state).toBe(
        'used',
      );
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'phone-inbox-detail');
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('inbox on S3 storage', () => {
  let hallo: Harness;
  let browser: Browser;
  beforeAll(async () => {
    [hallo, browser] = await Promise.all([startHallo({ driver: 's3' }), launchBrowser()]);
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
  });

  it('plays a clip from a presigned URL on the bucket, allowed by the CSP', async () => {
    const sent = await hallo.upload({
      audio: { path: fixture('speech.mp3') },
      fields: validFields,
    });
    await hallo.waitForProcessing(sent.body.id, ['ready']);
    const context = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    try {
      await page.goto(`${hallo.url}/inbox#/s/${sent.body.id}`);
      await page.locator('#sign-in-email').fill(OWNER.email);
      await page.locator('#sign-in-password').fill(OWNER.password);
      const redirect = page.waitForResponse((r) => r.url().includes('/audio/mp3'));
      await page.locator('#sign-in-submit').click();
      await page.locator('#detail:not([hidden])').waitFor();
      expect((await redirect).status()).toBe(302); // to the bucket, not through hallo
      await page.locator('#d-play').click();
      await page.waitForFunction(
        () => (document.getElementById('d-audio') as HTMLAudioElement).currentTime > 0.3,
      );
      const src = await page.evaluate(
        () => (document.getElementById('d-audio') as HTMLAudioElement).currentSrc,
      );
      expect(src).toContain('/audio/mp3');
      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
