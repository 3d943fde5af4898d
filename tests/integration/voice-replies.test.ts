import { openAsBlob } from 'node:fs';
import { captureLog } from '../support/log-capture';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { pollUntil } from '../support/poll';
import { startSmtpSink } from '../support/smtp-sink';

const LISTENER_NOTE = 'Grüße vom Deich, und danke für die Folge über Ebbe!';

describe('voice replies: the team answers by voice, the listener hears it and answers once', () => {
  let hallo: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const { stream: log, lines: logLines } = captureLog();

  beforeAll(async () => {
    smtp = await startSmtpSink();
    hallo = await startHallo({
      driver: 'disk',
      log,
      env: {
        LOG_LEVEL: 'trace',
        PUBLIC_URL: 'https://hallo.example',
        PODCAST_NAME: 'Deichfunk',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Deichfunk <hallo@example.org>',
        JOB_BACKOFF_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await hallo?.stop();
    await smtp?.stop();
  });
  afterEach(() => jest.useRealTimers());

  async function sendMessage(fields: Record<string, string> = {}) {
    const sent = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: { ...validFields, message: LISTENER_NOTE, topic: 'Ebbe und Flut', ...fields },
    });
    expect(sent.status).toBe(201);
    return sent.body.id as string;
  }

  async function reply(id: string, fields: Record<string, string> = {}, audio = 'speech.wav') {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('audio', await openAsBlob(fixture(audio)), audio);
    const response = await hallo.admin(`/api/admin/submissions/${id}/replies`, {
      method: 'POST',
      body: form,
    });
    return { status: response.status, body: await response.json() };
  }

  /** The private link's token, from the mail that reached the SMTP server. */
  async function linkFromMail(before: number) {
    const mail = await pollUntil(
      async () => smtp.mails[before] ?? null,
      () => true,
      'the reply mail',
      30000,
    );
    const link = /https:\/\/hallo\.example\/r\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
    expect(link).not.toBeNull();
    return { mail, token: link![1]! };
  }

  const asListener = (token: string, path = '', init: RequestInit = {}) =>
    fetch(`${hallo.url}/api/replies/current${path}`, {
      ...init,
      headers: { 'x-reply-token': token, ...(init.headers as Record<string, string>) },
    });

  it('mails a private link, plays the reply on its page, and threads the one answer', async () => {
    const id = await sendMessage();
    await hallo.waitForProcessing(id, ['ready']);
    const mailsBefore = smtp.mails.length;

    const sent = await reply(id, { text: 'Danke dir, Anna!', showOriginal: 'true' });
    expect(sent.status).toBe(202);
    const { mail, token } = await linkFromMail(mailsBefore);

    // The mail: to the address the listener gave, in their language, no audio, nothing they said.
    expect(mail.to).toMatchObject({ value: [{ address: validFields.email }] });
    expect(mail.subject).toBe('„Deichfunk“ hat dir geantwortet');
    expect(mail.text).toContain('Hallo Anna aus Berlin,');
    expect(mail.attachments).toHaveLength(0);
    expect(mail.text).not.toContain('Deich,');
    expect(mail.text).not.toContain('Ebbe');
    expect(mail.text).not.toContain('Danke dir');

    // Only a hash of the token is stored anywhere.
    const objects = await hallo.objectKeys();
    expect(objects.some((key) => key.includes(token))).toBe(false);
    const linkKeys = objects.filter((key) => key.startsWith('reply-links/'));
    expect(linkKeys).toHaveLength(1);
    expect(await hallo.redisKeys('reply-outbox:*')).toEqual([]);

    const page = await fetch(`${hallo.url}/r/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-robots-tag')).toContain('noindex');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/js/reply/main.js');

    const view = await (await asListener(token)).json();
    expect(view).toMatchObject({
      locale: 'de',
      podcastName: 'Deichfunk',
      text: 'Danke dir, Anna!',
      yourMessage: { topic: 'Ebbe und Flut', playable: true },
      canAnswer: true,
      answered: false,
    });
    expect(JSON.stringify(view)).not.toContain('Deich,');
    expect(view.durationSeconds).toBeGreaterThan(1);

    const audio = await asListener(token, '/audio');
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(5000);
    expect((await asListener(token, '/original')).status).toBe(200);

    // The listener answers once: a new message of the thread, with the first one's name and address.
    const answerForm = () => {
      const form = new FormData();
      form.append('consent', 'true');
      form.append('message', 'Gern geschehen!');
      return openAsBlob(fixture('firefox.ogg')).then((blob) => {
        form.append('audio', blob, 'answer.ogg');
        return form;
      });
    };
    const answered = await asListener(token, '/answer', {
      method: 'POST',
      body: await answerForm(),
    });
    expect(answered.status).toBe(201);
    const answerId = (await answered.json()).id as string;
    const again = await asListener(token, '/answer', { method: 'POST', body: await answerForm() });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('ALREADY_ANSWERED');

    const answer = await hallo.waitForProcessing(answerId, ['ready']);
    expect(answer).toMatchObject({
      name: validFields.name,
      email: validFields.email,
      inReplyTo: { submissionId: id, replyId: sent.body.id },
    });
    const thread = await hallo.adminJson(`/api/admin/submissions/${answerId}/thread`);
    expect(thread.rootId).toBe(id);
    expect(thread.replies).toEqual([
      expect.objectContaining({
        id: sent.body.id,
        state: 'sent',
        text: 'Danke dir, Anna!',
        answer: { submissionId: answerId, at: expect.any(String) },
      }),
    ]);
    expect(JSON.stringify(thread)).not.toContain(token);
    // The link is a secret: the page's request is logged without it, and no line holds it.
    const logged = logLines.join('\n');
    expect(logged).toContain('"url":"/r/…"');
    expect(logged).toContain('reply mailed');
    expect(logged).not.toContain(token);
    // A conversation goes listener → team → listener: an answer is not replied to by mail again.
    const toAnswer = await reply(answerId);
    expect(toAnswer.status).toBe(422);
    expect(toAnswer.body.error.code).toBe('REPLY_NO_EMAIL');
    const list = await hallo.adminJson('/api/admin/submissions?limit=50');
    expect(list.items.find((item: { id: string }) => item.id === answerId).answerTo).toBe(id);

    // The episode bundle never holds the team's replies.
    await hallo.admin(`/api/admin/submissions/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'approved', episode: 'Folge 7' }),
    });
    const bundle = await hallo.admin(`/api/admin/bundle?episode=${encodeURIComponent('Folge 7')}`);
    expect(bundle.status).toBe(200);
    const zip = Buffer.from(await bundle.arrayBuffer());
    expect(zip.includes(Buffer.from('reply'))).toBe(false);

    // Erasing any message of the conversation erases all of it, and the link stops working.
    const erased = await hallo.admin(`/api/admin/submissions/${answerId}`, { method: 'DELETE' });
    expect(erased.status).toBe(200);
    expect((await erased.json()).erased.threadErased).toEqual([id]);
    const gone = await asListener(token, '', { headers: { 'accept-language': 'en' } });
    expect(gone.status).toBe(404);
    expect((await gone.json()).error).toMatchObject({
      code: 'REPLY_LINK_INVALID',
      message: expect.stringContaining('This link does not exist'),
    });
    expect(await hallo.objectKeys()).toEqual([]);
    expect(await hallo.redisKeys('reply-*')).toEqual([]);
    expect((await hallo.adminJson('/api/admin/submissions')).items).toEqual([]);
    expect(await hallo.services.queues.queue('reply').getJobCounts('waiting', 'delayed')).toEqual({
      waiting: 0,
      delayed: 0,
    });
    expect(hallo.tempFiles()).toEqual([]);
  });

  it('refuses a withdrawn link and an expired one in the listener’s language', async () => {
    const id = await sendMessage({ locale: 'en' });
    const before = smtp.mails.length;
    expect((await reply(id, { allowAnswer: 'false' })).status).toBe(202);
    const { mail, token } = await linkFromMail(before);
    expect(mail.subject).toBe('"Deichfunk" replied to you');
    const view = await (await asListener(token)).json();
    expect(view).toMatchObject({ locale: 'en', canAnswer: false });
    expect(view.yourMessage.playable).toBe(false);
    expect((await asListener(token, '/original')).status).toBe(404);
    const noAnswer = new FormData();
    noAnswer.append('consent', 'true');
    noAnswer.append('audio', await openAsBlob(fixture('firefox.ogg')), 'a.ogg');
    const refused = await asListener(token, '/answer', { method: 'POST', body: noAnswer });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('ANSWER_NOT_ALLOWED');

    // A month and a day later, the link has expired; the message is in English, as the listener wrote.
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
      now: Date.now() + 31 * 86400_000,
    });
    const expired = await asListener(token, '', { headers: { 'accept-language': 'de' } });
    expect(expired.status).toBe(410);
    expect((await expired.json()).error).toMatchObject({
      code: 'REPLY_LINK_EXPIRED',
      message: expect.stringContaining('This link has expired'),
    });
    jest.useRealTimers();

    const [{ id: replyId }] = (await hallo.adminJson(`/api/admin/submissions/${id}/thread`))
      .replies;
    const revoked = await hallo.admin(`/api/admin/submissions/${id}/replies/${replyId}/revoke`, {
      method: 'POST',
    });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).replies[0].revokedAt).toEqual(expect.any(String));
    const refusedNow = await asListener(token);
    expect(refusedNow.status).toBe(410);
    expect((await refusedNow.json()).error.code).toBe('REPLY_LINK_REVOKED');
    await hallo.admin(`/api/admin/submissions/${id}`, { method: 'DELETE' });
  });

  it('replies only to an address the listener gave, with a recording that passes the checks', async () => {
    const { email: _none, ...withoutEmail } = validFields;
    const sent = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: withoutEmail,
    });
    const noEmail = await reply(sent.body.id);
    expect(noEmail.status).toBe(422);
    expect(noEmail.body.error.code).toBe('REPLY_NO_EMAIL');

    const id = await sendMessage();
    const silent = await reply(id, {}, 'silent.webm');
    expect(silent.status).toBe(422);
    expect(silent.body.error.code).toBe('AUDIO_SILENT');
    const stray = await reply(id, { to: 'someone@else.example' });
    expect(stray.status).toBe(400);
    expect(stray.body.error.code).toBe('UNEXPECTED_FIELD');
    const long = await reply(id, { text: 'x'.repeat(501) });
    expect(long.body.error.code).toBe('REPLY_TEXT_TOO_LONG');
    // Nothing of a refused reply is left behind.
    expect((await hallo.objectKeys()).filter((key) => key.includes('/replies/'))).toEqual([]);
    expect(hallo.tempFiles().filter((name) => !name.startsWith('job-'))).toEqual([]);
    await hallo.admin(`/api/admin/submissions/${id}`, { method: 'DELETE' });
    await hallo.admin(`/api/admin/submissions/${sent.body.id}`, { method: 'DELETE' });
  });

  it('answers a made-up or malformed link with the same refusal', async () => {
    for (const token of ['', 'x', 'A'.repeat(43), '../../etc/passwd']) {
      const response = await asListener(token);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('REPLY_LINK_INVALID');
    }
  });
});
