import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { launchBrowser, screenshot, SCREENSHOT_DIR, watchPageProblems } from '../support/browser';
import { ENGINES, launchEngine, type EngineName } from '../support/engines';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import type { ListenerBrowser, ListenerPage } from '../support/listener-browser';
import { pollUntil } from '../support/poll';
import { startSmtpSink } from '../support/smtp-sink';
import { shown, textOf, waitUntil } from './listener-session';
import { signInToInbox } from './inbox-session';

const OWNER = { email: 'olga@example.org', password: 'owner-password-123' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The listener's side runs in each engine that can record audio hallo decodes (WebKitGTK's
// recordings cannot be decoded here: see CANNOT.webkit in engines.ts).
const LISTENER_ENGINES = ENGINES.filter((engine): engine is EngineName => engine !== 'webkit');

// The author records a voice reply in the inbox (Chromium, fake microphone); the listener opens
// the mailed link in another browser, plays the reply and answers; the answer lands in the thread.
describe('voice reply: from the inbox to the listener and back', () => {
  let hallo: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let author: Browser;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    [hallo, author] = await Promise.all([
      startHallo({
        driver: 'disk',
        env: { PODCAST_NAME: 'Deichfunk', SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100' },
      }),
      launchBrowser({ fakeMicrophoneWav: fixture('speech-16k.wav') }),
    ]);
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
  });
  afterAll(async () => {
    await author?.close();
    await hallo?.stop();
    await smtp?.stop();
  });

  const signIn = (page: Page) => signInToInbox(page, hallo.url, OWNER);

  /** The author's reply, recorded in the inbox; resolves with the listener's link from the mail. */
  async function replyFromInbox(page: Page, id: string): Promise<string> {
    const mailsBefore = smtp.mails.length;
    await page.goto(`${hallo.url}/inbox#/s/${id}`);
    await page.locator('#d-reply-form:not([hidden])').waitFor();
    await page.locator('#d-reply-hint', { hasText: validFields.email }).waitFor();
    await page.locator('#d-reply-capture [data-role="record"]').click();
    await page.waitForTimeout(3000);
    await page.locator('#d-reply-capture [data-role="stop"]').click();
    await page.locator('#d-reply-capture audio:not([hidden])').waitFor();
    await page.locator('#d-reply-text').fill('Danke für deine Nachricht!');
    await page.locator('#d-reply-send').click();
    // The thread shows the reply live, through rendering, until it was mailed.
    await page.locator('#d-thread .thread-reply[data-state="sent"]').waitFor({ timeout: 60_000 });
    const mail = await pollUntil(
      async () => smtp.mails[mailsBefore] ?? null,
      () => true,
      'the reply mail',
      30_000,
    );
    const link = /\/r\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
    expect(link).not.toBeNull();
    return `${hallo.url}/r/${link![1]}`;
  }

  async function playReply(page: ListenerPage) {
    await shown(page, '#reply');
    await waitUntil(
      page,
      () => {
        const audio = document.getElementById('reply-audio') as HTMLAudioElement | null;
        return Boolean(audio && audio.readyState >= 1 && audio.duration > 1);
      },
      null,
      'the reply loaded into the player',
    );
    // Played from the start for a moment: the audio is a real, decodable reply.
    const played = await page.run(async () => {
      const audio = document.getElementById('reply-audio') as HTMLAudioElement;
      audio.muted = true;
      await audio.play();
      await new Promise((resolve) => setTimeout(resolve, 700));
      audio.pause();
      return audio.currentTime;
    }, null);
    expect(played).toBeGreaterThan(0.2);
  }

  it.each(LISTENER_ENGINES)(
    'the author replies by voice; the listener in %s plays it and answers once',
    async (engine) => {
      const sent = await hallo.upload({
        audio: { path: fixture('chrome.webm') },
        fields: { ...validFields, topic: 'Ebbe und Flut' },
      });
      const id: string = sent.body.id;
      await hallo.waitForProcessing(id, ['ready']);

      const context = await author.newContext({ permissions: ['microphone'] });
      const inbox = await context.newPage();
      const problems = await watchPageProblems(inbox);
      let listener: ListenerBrowser | undefined;
      try {
        await signIn(inbox);
        const link = await replyFromInbox(inbox, id);
        await screenshot(inbox, `voice-reply-inbox-${engine}`);

        listener = await launchEngine(engine, {
          microphone: 'granted',
          fakeMicrophoneWav: fixture('speech-16k.wav'),
        });
        const page = await listener.open({ width: 390, height: 844 });
        await page.goto(link);
        await playReply(page);
        expect(await textOf(page, '#reply-about')).toContain('Ebbe und Flut');
        expect(await textOf(page, '#reply-text')).toBe('Danke für deine Nachricht!');

        await shown(page, '#answer');
        await page.click('#answer-capture [data-role="record"]');
        await shown(page, '#answer-capture [data-role="stop"]');
        await sleep(3000);
        await page.click('#answer-capture [data-role="stop"]');
        await shown(page, '#answer-capture audio');
        await page.click('#answer-consent');
        await page.click('#answer-send');
        await shown(page, '#answered');
        await page.screenshot(path.join(SCREENSHOT_DIR, `voice-reply-listener-${engine}.png`));
        expect(page.problems).toEqual([]);

        // The answer is in the author's thread, and opens as a message of its own.
        const thread = await pollUntil(
          () => hallo.adminJson(`/api/admin/submissions/${id}/thread`),
          (t: { replies: { answer?: { submissionId: string } }[] }) =>
            Boolean(t.replies[0]?.answer),
          'the answer in the thread',
          20_000,
        );
        const answerId = thread.replies[0]!.answer!.submissionId;
        await hallo.waitForProcessing(answerId, ['ready']);
        await inbox.reload();
        await inbox.locator(`#d-thread .thread-answer[data-answer-id="${answerId}"]`).waitFor();
        await inbox.locator('#d-thread .thread-answer a').click();
        await inbox.locator('#d-thread-root:not([hidden])').waitFor();
        expect(await inbox.locator('#detail-name').textContent()).toBe(validFields.name);

        // A second visit: the page says it was answered and offers no second answer.
        await page.reload();
        await shown(page, '#answered');
        expect(await page.run(() => document.getElementById('answer')!.hidden, null)).toBe(true);
        await page.close();
        expect(await problems()).toEqual([]);
      } finally {
        await listener?.close();
        await context.close();
      }
    },
    // Two browsers, two recordings and two renders: CI's busiest tier has taken over 60 s.
    150_000,
  );
});
