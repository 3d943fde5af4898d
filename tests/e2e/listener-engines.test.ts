import { errorMessage } from '../../src/i18n/error-messages';
import { CANNOT, ENGINES, launchEngine, type EngineName } from '../support/engines';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import type { ListenerBrowser } from '../support/listener-browser';
import {
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
  waitUntil,
} from './listener-session';
import { submissionsNamed } from './recorder-page';

const playback = () => document.getElementById('player')?.dataset.playback;

// The listener's core flows, one set for every engine: each engine's own MediaRecorder and fake
// microphone, against a real hallo with its worker.
describe.each(ENGINES)('the listener in %s', (engine: EngineName) => {
  let hallo: Harness;
  let browser: ListenerBrowser;

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
  /** Where the engine's own recordings cannot be decoded: the page must say so, in words. */
  const brokenRecorder = CANNOT[engine]?.recordValidAudio;

  it(`records, plays back, sends, and ${brokenRecorder ? `hears that the recording is damaged (${brokenRecorder})` : 'the message reaches ready as the recorder made it'}`, async () => {
    const page = await openListenerPage(browser, `${hallo.url}/?lang=de`);
    try {
      let screen: string | undefined;
      await recordFor(page, 3, async () => {
        // The level meter moves: its AudioContext runs under this engine's autoplay rules.
        await waitUntil(
          page,
          () =>
            Number(document.getElementById('meter-fill')?.style.getPropertyValue('--level') || 0) >
            0.05,
          null,
          'the level meter moving',
        );
        // The screen is held on, or the listener is asked to keep it on.
        await waitUntil(
          page,
          () => document.getElementById('rec-live')?.dataset.screen !== undefined,
          null,
          'the screen lock decided',
        );
        screen = await page.run(() => {
          const live = document.getElementById('rec-live') as HTMLElement;
          const hint = document.getElementById('rec-screen-hint') as HTMLElement;
          return `${live.dataset.screen} ${hint.hidden ? 'no hint' : 'hint'}`;
        }, null);
      });
      // Every engine here has the Wake Lock API; the hint without it is tested in Chromium.
      expect(screen).toBe('held no hint');
      expect(await page.run(() => document.getElementById('rec-live')?.dataset.screen, null)).toBe(
        'free',
      );
      // The player's length once the media's metadata is in: the media's own where it can be
      // believed, else the recording clock (WebKit says 1 s for its own 3 s recording).
      await waitUntil(
        page,
        () => (document.getElementById('playback') as HTMLAudioElement).readyState >= 1,
        null,
        'the recording loaded',
      );
      expect(await playerSeconds(page)).toBeGreaterThan(2.5);
      expect(await playerSeconds(page)).toBeLessThan(6);
      await page.click('#play');
      await waitUntil(
        page,
        () => (document.getElementById('playback') as HTMLAudioElement).currentTime > 0.3,
        null,
        'playback under way',
      );
      expect(await page.run(playback, null)).toBe('playing');
      await page.press('#seek', 'End');
      await waitUntil(
        page,
        () => document.getElementById('player')?.dataset.playback === 'ended',
        null,
        'playback ended',
      );

      const { mimeType } = await waitForDraft(page, (draft) => draft.mimeType !== undefined);
      // The recorder's first choice in this engine, not a fallback.
      expect(mimeType?.split(';')[0]).toBe((await preferredMimeType(page)).split(';')[0]);

      const name = `Anna ${engine}`;
      await nameAndConsent(page, name);
      if (brokenRecorder) {
        expect(await send(page)).toBe('refused');
        expect(await textOf(page, '#send-error-message')).toBe(errorMessage('AUDIO_CORRUPT', 'de'));
        return;
      }
      expect(await send(page)).toBe('thanks');
      expect(await textOf(page, '#thanks-title')).toBe(`Danke, ${name}!`);
      const [item] = await submissionsNamed(hallo, name);
      const ready = await hallo.waitForProcessing(item.id, ['ready', 'failed']);
      expect(ready.processing.state).toBe('ready');
      expect(ready.original.container).toBe(containerOf(mimeType as string));
      expect(ready.processing.outputLoudness.integratedLufs).toBeCloseTo(-16, 0);
      expect(page.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('restores an unsent recording after a reload and sends it once', async () => {
    const page = await openListenerPage(browser, `${hallo.url}/?lang=de`);
    try {
      await recordFor(page, 2);
      const name = `Ben ${engine}`;
      await page.fill('#name', name);
      await waitForDraft(page, (draft) => draft.name === name);
      await page.reload();
      await shown(page, '#draft-notice');
      expect(await textOf(page, '#draft-text')).toMatch(
        /^Wir haben deine noch nicht gesendete Nachricht vom .+ wiederhergestellt/,
      );
      expect(
        await page.run(() => (document.getElementById('name') as HTMLInputElement).value, null),
      ).toBe(name);
      await waitUntil(
        page,
        () => Number(document.querySelector('#seek')?.getAttribute('max')) > 1,
        null,
        'the restored recording in the player',
      );
      await page.click('#consent');
      expect(await send(page)).toBe(brokenRecorder ? 'refused' : 'thanks');
      expect(await submissionsNamed(hallo, name)).toHaveLength(brokenRecorder ? 0 : 1);
      expect(page.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('keeps a recording when the back button is pressed during it, and stays on the page', async () => {
    const page = await openListenerPage(browser, `${hallo.url}/?lang=de&topic=Zur%C3%BCck`);
    try {
      await page.click('#record');
      await shown(page, '#rec-live');
      await waitUntil(
        page,
        () => /^0:0[2-9]/.test(document.getElementById('rec-timer')?.textContent ?? ''),
        null,
        '2 s recorded',
      );
      await page.back();
      await shown(page, '#rec-done');
      expect(await page.run(() => location.search, null)).toBe('?lang=de&topic=Zur%C3%BCck');
      expect(await playerSeconds(page)).toBeGreaterThan(1.5);
      await waitForDraft(page, (draft) => draft.mimeType !== undefined);
      expect(page.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each([
    ['de', 'Das ist keine Audiodatei'],
    ['en', 'This is not an audio file'],
  ] as const)(
    'explains refusals in %s: not audio at once, silence from the server',
    async (locale, notAudio) => {
      const page = await openListenerPage(browser, `${hallo.url}/?lang=${locale}`);
      try {
        await page.upload('#audio-file', fixture('text.txt'));
        await shown(page, '#audio-error');
        expect(await textOf(page, '#audio-error')).toContain(notAudio);

        await page.upload('#audio-file', fixture('silent.webm'));
        await shown(page, '#rec-done');
        await nameAndConsent(page, `Still ${engine} ${locale}`);
        expect(await send(page)).toBe('refused');
        expect(await textOf(page, '#send-error-message')).toBe(
          errorMessage('AUDIO_SILENT', locale),
        );
        expect(page.problems).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );

  const denied = CANNOT[engine]?.denyMicrophone;
  (denied ? it.skip : it)(
    `explains a denied microphone in this browser's words, and offers the upload${denied ? ` (not here: ${denied})` : ''}`,
    async () => {
      const refusing = await launchEngine(engine, { microphone: 'denied' });
      try {
        const page = await openListenerPage(refusing, hallo.url);
        await page.click('#record');
        await shown(page, '#guidance');
        expect(await textOf(page, '#guidance-title')).toBe('Kein Zugriff auf das Mikrofon');
        expect(await textOf(page, '#guidance-text')).toMatch(
          engine === 'firefox'
            ? /^Klicke in der Adressleiste auf das durchgestrichene Mikrofon-Symbol/
            : /^Tippe oder klicke in der Adressleiste auf das Symbol links neben der Adresse/,
        );
        await shown(page, '#file-area');
        expect(page.problems).toEqual([]);
      } finally {
        await refusing.close();
      }
    },
  );
});
