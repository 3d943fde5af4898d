import type { Browser } from 'puppeteer-core';
import { errorMessage } from '../../src/i18n/error-messages';
import { ENGINES, launchEngine, type EngineName } from '../support/engines';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import {
  chooseFile,
  containerOf,
  nameAndConsent,
  openListenerPage,
  playerSeconds,
  preferredMimeType,
  recordFor,
  send,
  shown,
  textOf,
  waitForDraft,
} from './listener-session';
import { submissionsNamed } from './recorder-page';

// The listener's core flows, one set for every engine: each engine's own MediaRecorder and fake
// microphone, against a real hallo with its worker.
describe.each(ENGINES)('the listener in %s', (engine: EngineName) => {
  let hallo: Harness;
  let browser: Browser;

  beforeAll(async () => {
    [hallo, browser] = await Promise.all([
      startHallo({ driver: 'disk', env: { PODCAST_NAME: 'Hallo Welt' } }),
      launchEngine(engine, { microphone: 'granted', fakeMicrophoneWav: fixture('speech-16k.wav') }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
  });

  it('records, plays back, sends, and the message reaches ready as the recorder made it', async () => {
    const session = await openListenerPage(browser, hallo.url);
    const { page } = session;
    try {
      await recordFor(page, 3);
      await page.waitForFunction(
        () => Number(document.querySelector('#seek')?.getAttribute('max')) > 2.5,
      );
      expect(await playerSeconds(page)).toBeLessThan(6);
      await page.locator('#play').click();
      await page.waitForFunction(
        () => (document.getElementById('playback') as HTMLAudioElement).currentTime > 0.3,
      );
      expect(await page.$eval('#player', (el) => (el as HTMLElement).dataset.playback)).toBe(
        'playing',
      );
      await page.focus('#seek');
      await page.keyboard.press('End');
      await page.waitForFunction(
        () => document.getElementById('player')?.dataset.playback === 'ended',
      );

      const { mimeType } = await waitForDraft(page, (draft) => draft.mimeType !== undefined);
      // The recorder's first choice in this engine, not a fallback.
      expect(mimeType?.split(';')[0]).toBe((await preferredMimeType(page)).split(';')[0]);

      const name = `Anna ${engine}`;
      await nameAndConsent(page, name);
      expect(await send(page)).toBe('thanks');
      expect(await textOf(page, '#thanks-title')).toBe(`Danke, ${name}!`);
      const [item] = await submissionsNamed(hallo, name);
      const ready = await hallo.waitForProcessing(item.id, ['ready', 'failed']);
      expect(ready.processing.state).toBe('ready');
      expect(ready.original.container).toBe(containerOf(mimeType as string));
      expect(ready.processing.outputLoudness.integratedLufs).toBeCloseTo(-16, 0);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('restores an unsent recording after a reload and sends it once', async () => {
    const session = await openListenerPage(browser, hallo.url);
    const { page } = session;
    try {
      await recordFor(page, 2);
      const name = `Ben ${engine}`;
      await page.locator('#name').fill(name);
      await waitForDraft(page, (draft) => draft.name === name);
      await page.reload();
      await shown(page, '#draft-notice');
      expect(await textOf(page, '#draft-text')).toMatch(
        /^Wir haben deine noch nicht gesendete Nachricht vom .+ wiederhergestellt/,
      );
      expect(await page.$eval('#name', (el) => (el as HTMLInputElement).value)).toBe(name);
      await page.waitForFunction(
        () => Number(document.querySelector('#seek')?.getAttribute('max')) > 1,
      );
      await page.locator('#consent').click();
      expect(await send(page)).toBe('thanks');
      expect(await submissionsNamed(hallo, name)).toHaveLength(1);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it.each([
    ['de', 'Das ist keine Audiodatei'],
    ['en', 'This is not an audio file'],
  ] as const)(
    'explains refusals in %s: not audio at once, silence from the server',
    async (locale, notAudio) => {
      const session = await openListenerPage(browser, `${hallo.url}/?lang=${locale}`);
      const { page } = session;
      try {
        await chooseFile(page, fixture('text.txt'));
        await shown(page, '#audio-error');
        expect(await textOf(page, '#audio-error')).toContain(notAudio);

        await chooseFile(page, fixture('silent.webm'));
        await shown(page, '#rec-done');
        await nameAndConsent(page, `Kurz ${engine} ${locale}`);
        expect(await send(page)).toBe('refused');
        expect(await textOf(page, '#send-error-message')).toBe(
          errorMessage('AUDIO_SILENT', locale),
        );
        expect(session.problems).toEqual([]);
      } finally {
        await session.close();
      }
    },
  );

  it('explains a denied microphone in this browser’s words, and offers the upload', async () => {
    const denied = await launchEngine(engine, { microphone: 'denied' });
    try {
      const session = await openListenerPage(denied, hallo.url);
      const { page } = session;
      await page.locator('#record').click();
      await shown(page, '#guidance');
      expect(await textOf(page, '#guidance-title')).toBe('Kein Zugriff auf das Mikrofon');
      expect(await textOf(page, '#guidance-text')).toMatch(
        engine === 'firefox'
          ? /^Klicke in der Adressleiste auf das durchgestrichene Mikrofon-Symbol/
          : /^Tippe oder klicke in der Adressleiste auf das Symbol links neben der Adresse/,
      );
      expect(
        await page.$eval('#file-area', (el) => (el as HTMLElement).offsetParent !== null),
      ).toBe(true);
      expect(session.problems).toEqual([]);
    } finally {
      await denied.close();
    }
  });
});
