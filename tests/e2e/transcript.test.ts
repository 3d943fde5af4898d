import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser';
import { fixture } from '../support/fixtures';
import { writeGgmlModel } from '../support/ggml-test-model';
import { startHallo, type Harness } from '../support/hallo-harness';
import { pollUntil } from '../support/poll';
import { sendMessages } from '../support/send-messages';
import { transcriptView, type TranscriptDocument } from '../../src/transcripts/transcript';
import {
  DESKTOP,
  fillDetails,
  openRecorder,
  record,
  sendAndWait,
  submissionsNamed,
} from './recorder-page';
import { signInToInbox } from './inbox-session';

const OWNER = { email: 'olga@example.org', password: 'owner-password-123' };

jest.setTimeout(180_000);

// A listener records on the page; the worker transcribes with the real engine and a generated
// model; the author reads the transcript in the inbox, seeks by it, and finds messages by it.
describe('inbox: transcripts', () => {
  let hallo: Harness;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hallo-transcript-e2e-'));
    const model = path.join(dir, 'ggml-test.bin');
    await writeGgmlModel(model);
    [hallo, browser] = await Promise.all([
      startHallo({ driver: 'disk', env: { TRANSCRIBE_MODEL: model } }),
      launchBrowser({ fakeMicrophoneWav: fixture('speech-16k.wav') }),
    ]);
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const signIn = (page: Page) => signInToInbox(page, hallo.url, OWNER);

  /** A transcript written through the same document and index path the worker uses. */
  async function writeTranscript(
    id: string,
    segments: { start: number; end: number; text: string }[],
  ) {
    const doc: TranscriptDocument = {
      state: 'ready',
      attempt: 1,
      updatedAt: new Date().toISOString(),
      model: { name: 'test', bytes: 1 },
      result: {
        language: 'de',
        text: segments.map((s) => s.text).join(' '),
        segments,
        durationSeconds: 4,
        seconds: 1,
        realTimeFactor: 0.25,
      },
    };
    await hallo.services.documents.writeTranscript(id, doc);
    await hallo.services.index.setTranscript(id, transcriptView(true, doc, undefined));
  }

  it('shows the transcript of a recorded message; a segment seeks the player', async () => {
    const open = await openRecorder(browser, hallo.url, { permissions: ['microphone'] });
    await record(open.page, 3);
    await fillDetails(open.page, { name: 'Toni Transkript' });
    expect(await sendAndWait(open.page)).toBe(201);
    await open.context.close();
    const [item] = await submissionsNamed(hallo, 'Toni Transkript');
    await hallo.waitForProcessing(item.id, ['ready']);

    const context = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    try {
      await signIn(page);
      await page.goto(`${hallo.url}/inbox#/s/${item.id}`);
      await page.locator('#d-transcript:not([hidden])').waitFor();
      // The engine's own run, followed live: the section says when its transcript is there.
      await page.locator('#d-transcript-state.transcript-ready').waitFor({ timeout: 90_000 });
      const doc = await pollUntil(
        () => hallo.services.documents.readTranscript(item.id).then((d) => d ?? null),
        (d) => d.state === 'ready',
        'transcript',
      );
      const segments = doc.result!.segments;
      expect(await page.locator('.transcript-segment').count()).toBe(segments.length);
      expect(await page.locator('#d-transcript-state').textContent()).toMatch(/^Sprache: /);

      // Our own segments at known times, to seek to: the page reads them again on opening.
      await writeTranscript(item.id, [
        { start: 0, end: 1.2, text: 'Hallo aus Köln.' },
        { start: 1.2, end: 2.6, text: 'Ich höre euch jeden Morgen.' },
        { start: 2.6, end: 3.4, text: 'Tschüss!' },
      ]);
      await page.reload();
      await page.locator('.transcript-segment').nth(2).waitFor();
      await page.locator('.transcript-segment').nth(1).click();
      await page.waitForFunction(() => {
        const audio = document.getElementById('d-audio') as HTMLAudioElement;
        return !audio.paused && audio.currentTime >= 1.2;
      });
      const played = await page.evaluate(() => {
        const audio = document.getElementById('d-audio') as HTMLAudioElement;
        audio.pause();
        return audio.currentTime;
      });
      expect(played).toBeGreaterThanOrEqual(1.2);
      expect(played).toBeLessThan(2.6);
      await page.waitForFunction(() =>
        document
          .querySelector('.transcript-segment[aria-current]')
          ?.textContent?.includes('jeden Morgen'),
      );
      expect(await seriousAxeViolations(page, '#d-transcript')).toEqual([]);
      await screenshot(page, 'inbox-transcript');
    } finally {
      await context.close();
    }
  });

  it('finds a message by a word only its transcript holds, and shows its first line', async () => {
    const ids = await sendMessages(hallo, [
      ['hafen', 'speech.wav', { name: 'Hanna Hafen' }],
      ['other', 'speech.mp3', { name: 'Otto Anders' }],
    ]);
    // The worker's own transcripts first, so that ours is not written over by a late one.
    for (const id of Object.values(ids))
      await pollUntil(
        () => hallo.services.documents.readTranscript(id).then((d) => d ?? null),
        (d) => d.state === 'ready' || d.state === 'failed',
        `transcript of ${id}`,
        90_000,
      );
    await writeTranscript(ids.hafen!, [
      { start: 0, end: 2, text: 'Grüße von der Fischbrötchenbude.' },
    ]);

    const context = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    try {
      await signIn(page);
      await page.locator('#filter-q').fill('fischbrötchenbude');
      await page.locator('#filter-q').press('Enter');
      await page.waitForFunction((id) => {
        const rows = [...document.querySelectorAll('#list [data-id]')];
        return rows.length === 1 && rows[0]?.getAttribute('data-id') === id;
      }, ids.hafen);
      expect(await page.locator('#list .row-transcript').textContent()).toBe(
        'Grüße von der Fischbrötchenbude.',
      );
    } finally {
      await context.close();
    }
  });
});
