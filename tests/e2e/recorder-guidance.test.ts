import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { errorMessage } from '../../src/i18n/error-messages';
import { launchBrowser } from '../support/browser';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import {
  expectNoPageProblems,
  fillDetails,
  openRecorder,
  sendAndWait,
  submissionsNamed,
} from './recorder-page';

const INSTAGRAM_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Mobile/15E148 Instagram 334.0.4.32.98 (iPhone14,5; iOS 17_5; de_DE; de; scale=3.00; 1170x2532; 611843240)';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

// The hard cases: no permission, no recorder, no https, in-app browsers, refused and unchecked forms.
describe('recorder page: guidance and refusals', () => {
  let hallo: Harness;
  let browser: Browser;
  let insecureUrl: string;

  beforeAll(async () => {
    [hallo, browser] = await Promise.all([
      startHallo({ driver: 'disk', worker: false, env: { PODCAST_NAME: 'Hallo Welt' } }),
      // hallo.test resolves to this machine but, unlike 127.0.0.1, is not a secure context.
      launchBrowser({ args: ['--host-resolver-rules=MAP hallo.test 127.0.0.1'] }),
    ]);
    insecureUrl = hallo.url.replace('127.0.0.1', 'hallo.test');
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
  });

  it('explains a blocked microphone in the words of the browser, and offers the file upload', async () => {
    const open = await openRecorder(browser, hallo.url); // no microphone permission granted
    const { page } = open;
    try {
      await page.locator('#record').click();
      await page.locator('#guidance').waitFor();
      expect(await page.locator('#guidance-title').textContent()).toBe(
        'Kein Zugriff auf das Mikrofon',
      );
      expect(await page.locator('#guidance-text').textContent()).toMatch(
        /^Tippe oder klicke in der Adressleiste auf das Symbol links neben der Adresse/,
      );
      expect(await page.locator('#announce-assertive').textContent()).toContain(
        'Kein Zugriff auf das Mikrofon',
      );
      expect(await page.locator('#file-area').isVisible()).toBe(true);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }

    const firefox = await openRecorder(browser, hallo.url, { userAgent: FIREFOX, locale: 'en-GB' });
    try {
      await firefox.page.locator('#record').click();
      await firefox.page.locator('#guidance').waitFor();
      expect(await firefox.page.locator('#guidance-text').textContent()).toBe(
        'Click the crossed-out microphone icon in the address bar and remove the block. Then reload the page.',
      );
    } finally {
      await firefox.context.close();
    }
  });

  it('sends an uploaded audio file, with the topic from the link', async () => {
    const open = await openRecorder(browser, `${hallo.url}/?topic=Folge%2042`);
    const { page } = open;
    try {
      expect(await page.locator('#topic-line').textContent()).toBe('Thema: Folge 42');
      await page.locator('#audio-file').setInputFiles(fixture('phone.m4a'));
      await page.locator('#rec-done').waitFor();
      expect(await page.locator('#audio-info').textContent()).toMatch(
        /^Datei: phone\.m4a \(91 kB\)$/,
      );
      await page.waitForFunction(
        () => Number(document.querySelector('#seek')?.getAttribute('max')) > 7,
      );
      await fillDetails(page, { name: 'Dora Datei' });
      expect(await sendAndWait(page)).toBe(201);
      await page.locator('#thanks').waitFor();
      const [item] = await submissionsNamed(hallo, 'Dora Datei');
      const stored = await hallo.adminJson(`/api/admin/submissions/${item.id}`);
      expect(stored).toMatchObject({ topic: 'Folge 42', locale: 'de' });
      expect(stored.original.container).toBe('mp4');
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });

  it('explains a refused upload with the server sentence and what to do, and refuses non-audio at once', async () => {
    const open = await openRecorder(browser, hallo.url);
    const { page } = open;
    try {
      let requests = 0;
      page.on('request', (r) => (requests += r.url().endsWith('/api/submissions') ? 1 : 0));
      await page.locator('#audio-file').setInputFiles(fixture('text.txt'));
      await page.locator('#audio-error').waitFor();
      expect(await page.locator('#audio-error').textContent()).toMatch(/^Das ist keine Audiodatei/);
      expect(await page.locator('#rec-done').isHidden()).toBe(true);

      await page.locator('#audio-file').setInputFiles(fixture('too-long.webm'));
      await page.locator('#rec-done').waitFor();
      await fillDetails(page, { name: 'Emil Lang' });
      expect(await sendAndWait(page)).toBe(422);
      await page.locator('#send-error').waitFor();
      expect(await page.locator('#send-error-message').textContent()).toBe(
        errorMessage('AUDIO_TOO_LONG', 'de', { maxSeconds: 300 }),
      );
      expect(await page.locator('#send-error-hint').textContent()).toBe(
        'Kürze die Nachricht oder nimm eine kürzere auf.',
      );
      expect(await page.locator('#error-record-again').isVisible()).toBe(true);
      expect(requests).toBe(1);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });

  it('shows "too long" for a long recording the server refuses while it is still arriving', async () => {
    // As Chrome's recorder writes it: no duration in the header, so only the server can tell.
    const scratch = mkdtempSync(path.join(tmpdir(), 'hallo-e2e-long-'));
    const long = path.join(scratch, 'twenty-minutes.webm');
    execFileSync('sh', [
      '-c',
      `ffmpeg -v error -stream_loop 19 -i '${fixture('long-60s.webm')}' -c copy -f webm pipe:1 > '${long}'`,
    ]);
    const open = await openRecorder(browser, hallo.url);
    const { page } = open;
    try {
      let requests = 0;
      page.on('request', (r) => (requests += r.url().endsWith('/api/submissions') ? 1 : 0));
      await page.locator('#audio-file').setInputFiles(long);
      await page.locator('#rec-done').waitFor();
      await fillDetails(page, { name: 'Lena Lang' });
      expect(await sendAndWait(page)).toBe(422);
      expect(await page.locator('#send-error-message').textContent()).toBe(
        errorMessage('AUDIO_TOO_LONG', 'de', { maxSeconds: 300 }),
      );
      // The answer came through the cut connection: no retry as if the network had failed.
      expect(requests).toBe(1);
      const refused = await hallo.services.metrics.earlyRefusalBytes.get();
      const read = refused.values.find(
        (v) =>
          v.metricName === 'hallo_upload_early_refusal_bytes_sum' &&
          v.labels.code === 'AUDIO_TOO_LONG',
      );
      expect(read?.value).toBeLessThan(statSync(long).size * 0.5);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('does not send without consent, and says why', async () => {
    const open = await openRecorder(browser, hallo.url);
    const { page } = open;
    try {
      let requests = 0;
      page.on('request', (r) => (requests += r.url().endsWith('/api/submissions') ? 1 : 0));
      await page.locator('#audio-file').setInputFiles(fixture('speech.mp3'));
      await page.locator('#rec-done').waitFor();
      await fillDetails(page, { name: 'Frieda Ohne', consent: false });
      await page.locator('#send').click();
      await page.locator('#form-errors').waitFor();
      const why =
        'Ohne deine Einwilligung dürfen wir die Nachricht nicht annehmen. Bitte setze den Haken bei der Einwilligung.';
      expect(await page.locator('#consent-error').textContent()).toBe(why);
      expect(await page.locator('#form-errors-list').textContent()).toBe(why);
      expect(await page.locator('#consent').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
      expect(requests).toBe(0);

      await page.locator('#consent').check();
      expect(await page.locator('#consent-error').isHidden()).toBe(true);
      expect(await sendAndWait(page)).toBe(201);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });

  it('asks Instagram users to open the page in their browser, with a working copy-link button', async () => {
    const open = await openRecorder(browser, `${hallo.url}/?topic=Instagram`, {
      userAgent: INSTAGRAM_IPHONE,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const { page } = open;
    try {
      await page.locator('#in-app-notice').waitFor();
      expect(await page.locator('#in-app-text').textContent()).toMatch(
        /^Du siehst diese Seite in der Instagram-App\. .*Safari oder Chrome/,
      );
      await page.locator('#copy-link').click();
      // The status follows the clipboard write, which is asynchronous.
      await page.waitForFunction(() => document.getElementById('copy-status')?.textContent !== '');
      expect(await page.locator('#copy-status').textContent()).toBe(
        'Link kopiert. Füge ihn in Safari oder Chrome ein.',
      );
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
        `${hallo.url}/?topic=Instagram`,
      );
      // Recording stays possible (some in-app browsers allow it); a refusal gets iOS wording.
      await page.locator('#record').click();
      await page.locator('#guidance').waitFor();
      expect(await page.locator('#guidance-text').textContent()).toMatch(
        /^Tippe in der Adressleiste auf „aA“/,
      );
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });

  it('recognises in-app browsers and browser families from their user agents', async () => {
    const open = await openRecorder(browser, hallo.url);
    try {
      const found = await open.page.evaluate(async () => {
        const guidance = await import('/js/guidance.js' as string);
        const agents = {
          instagram:
            'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Instagram 335.0.0.39.93 Android',
          facebook: 'Mozilla/5.0 (iPhone) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.42.109;FBBV/123]',
          linkedin: 'Mozilla/5.0 (iPhone) Mobile/15E148 LinkedInApp/9.30.1',
          tiktok:
            'Mozilla/5.0 (Linux; Android 13) Chrome/120.0 Mobile Safari/537.36 musical_ly_2023405040 BytedanceWebview/d8a21c6',
          safari:
            'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1',
        };
        return Object.fromEntries(
          Object.entries(agents).map(([key, ua]) => [
            key,
            [guidance.detectInAppBrowser(ua), guidance.browserFamily(ua, 5)],
          ]),
        );
      });
      expect(found).toEqual({
        instagram: ['Instagram', 'chrome'],
        facebook: ['Facebook', 'safari-ios'],
        linkedin: ['LinkedIn', 'safari-ios'],
        tiktok: ['TikTok', 'chrome'],
        safari: [null, 'safari-ios'],
      });
    } finally {
      await open.context.close();
    }
  });

  // Browsers without the Wake Lock API (iOS before 16.4, some in-app browsers) cannot run here:
  // Chromium stands in with the API removed before the page loads.
  it('asks the listener to keep the screen on where the browser cannot hold it', async () => {
    const open = await openRecorder(
      browser,
      hallo.url,
      { permissions: ['microphone'] },
      (context) =>
        context.addInitScript(() => {
          delete (Navigator.prototype as { wakeLock?: unknown }).wakeLock;
        }),
    );
    try {
      const { page } = open;
      await page.locator('#record').click();
      await page.locator('#rec-screen-hint').waitFor();
      expect(await page.locator('#rec-screen-hint').textContent()).toBe(
        'Lass den Bildschirm an, bis du fertig bist: Geht er aus, hört bei vielen Handys das Mikrofon auf.',
      );
      expect(await page.locator('#rec-live').getAttribute('data-screen')).toBe('hint');
      await page.locator('#stop').click();
      await page.locator('#rec-done').waitFor();
      expect(await page.locator('#rec-screen-hint').isHidden()).toBe(true);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  });

  it('offers the file upload where the browser cannot record', async () => {
    const open = await openRecorder(browser, hallo.url, { locale: 'en-US' }, (context) =>
      context.addInitScript(() => {
        delete (window as { MediaRecorder?: unknown }).MediaRecorder;
      }),
    );
    try {
      const { page } = open;
      await page.locator('#guidance').waitFor();
      expect(await page.locator('#guidance-title').textContent()).toBe(
        'Your browser cannot record here',
      );
      expect(await page.locator('#rec-idle').isHidden()).toBe(true);
      expect(await page.locator('#file-area').isVisible()).toBe(true);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }

    // Plain http on a host that is not this machine's loopback: no navigator.mediaDevices at all.
    const insecure = await openRecorder(browser, insecureUrl);
    try {
      await insecure.page.locator('#guidance').waitFor();
      expect(await insecure.page.locator('#guidance-text').textContent()).toBe(
        'Aufnehmen geht nur über eine sichere Verbindung (https). Du kannst aber eine Audiodatei hochladen.',
      );
      expect(await insecure.page.locator('#record').isHidden()).toBe(true);
      expect(await insecure.page.locator('#file-area').isVisible()).toBe(true);
      // Chrome notes that it ignores COOP over plain http: expected here, nothing else is.
      const problems = await insecure.problems();
      expect(problems.filter((p) => !p.includes('Cross-Origin-Opener-Policy'))).toEqual([]);
    } finally {
      await insecure.context.close();
    }
  });
});
