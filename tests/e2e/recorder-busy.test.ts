import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import {
  expectNoPageProblems,
  fillDetails,
  openRecorder,
  record,
  submissionsNamed,
} from './recorder-page';

// The global ceiling seen from the listener's side: the intake is full, the page keeps the
// recording, waits as the server says, and sends it once there is room: one submission.
describe('recorder page: a saturated intake', () => {
  let hallo: Harness;
  let browser: Browser;

  beforeAll(async () => {
    [hallo, browser] = await Promise.all([
      // No worker, so the queue only empties when the test says; one waiting job fills it.
      startHallo({ driver: 'disk', worker: false, env: { INTAKE_MAX_QUEUED_JOBS: '1' } }),
      launchBrowser({ fakeMicrophoneWav: fixture('speech-16k.wav') }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await hallo?.stop();
  });

  it('waits out a 503 with Retry-After and then sends exactly one submission', async () => {
    const first = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: validFields,
    });
    expect(first.status).toBe(201);
    await new Promise((r) => setTimeout(r, 2100)); // the queue depth is read at most every 2 s

    const open = await openRecorder(browser, hallo.url, { permissions: ['microphone'] });
    const { page } = open;
    try {
      await record(page, 2);
      await fillDetails(page, { name: 'Dana Busy' });
      const answers: number[] = [];
      page.on('response', (r) => {
        if (r.url().endsWith('/api/submissions')) answers.push(r.status());
      });
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/submissions'));
      await page.locator('#send').click();
      const busy = await refused;
      expect(busy.status()).toBe(503);
      expect((await busy.json()).error.code).toBe('INTAKE_BUSY');
      await page.waitForFunction(() =>
        /sehr viele Nachrichten/.test(document.getElementById('progress-text')?.textContent ?? ''),
      );

      // Room again: the waiting job is gone (as if a worker had taken it).
      await hallo.services.queues.queue('transcode').drain();
      await page.locator('#thanks').waitFor({ timeout: 40_000 });
      expect(answers).toEqual([503, 201]);
      expect(await submissionsNamed(hallo, 'Dana Busy')).toHaveLength(1);
      await expectNoPageProblems(open);
    } finally {
      await open.context.close();
    }
  }, 90_000);
});
