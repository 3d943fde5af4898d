import { sendDigestMail } from '../../src/notifications/send-team-mail';
import { scheduleMaintenance } from '../../src/queue/workers';
import { applyRetention } from '../../src/submissions/apply-retention';
import { processSubmission } from '../../src/submissions/process-submission';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { startSmtpSink } from '../support/smtp-sink';
import { startWebhookReceiver } from '../support/webhook-receiver';

const SECRET = 'webhook-secret-0123456789';

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const json = (body: unknown, method = 'PATCH'): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

describe('notifications: signed webhooks and team mails', () => {
  let hallo: Harness;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let flaky: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    [hooks, flaky, smtp] = await Promise.all([
      startWebhookReceiver(SECRET),
      startWebhookReceiver(SECRET, 2),
      startSmtpSink(),
    ]);
    hallo = await startHallo({
      driver: 'disk',
      env: {
        PUBLIC_URL: 'https://hallo.example',
        WEBHOOK_URLS: `${hooks.url},${flaky.url}`,
        WEBHOOK_SECRET: SECRET,
        SMTP_URL: smtp.url,
        MAIL_TO: 'redaktion@example.org, schnitt@example.org',
        MAIL_FROM: 'hallo <hallo@example.org>',
        JOB_BACKOFF_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await hallo?.stop();
    await Promise.all([hooks?.stop(), flaky?.stop(), smtp?.stop()]);
  });

  const eventsFor = (id: string, event: string) =>
    hooks.deliveries.filter((d) => d.event === event && d.body.submission.id === id);

  it('announces a ready message once: a signed webhook to each URL and one mail, no audio', async () => {
    const sent = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: { ...validFields, topic: 'Folge 12', message: 'Grüße aus Berlin!' },
    });
    const id: string = sent.body.id;
    await hallo.waitForProcessing(id, ['ready']);

    const ready = await until(() => eventsFor(id, 'submission.ready')[0], 'ready webhook');
    expect(ready.signatureValid).toBe(true);
    expect(ready.body).toEqual({
      event: 'submission.ready',
      occurredAt: expect.any(String),
      submission: {
        id,
        inboxUrl: `https://hallo.example/inbox#/s/${id}`,
        receivedAt: expect.any(String),
        name: 'Anna aus Berlin',
        topic: 'Folge 12',
        durationSeconds: expect.any(Number),
        review: { state: 'new' },
        // Read when the delivery runs: the transcript may have become "unavailable" (no model) by then.
        transcript: { state: expect.stringMatching(/^(queued|unavailable)$/) },
      },
    });
    expect(JSON.stringify(ready.body)).not.toContain('anna@example.org');

    // The flaky receiver answered 500 twice and got it on the third try.
    await until(() => flaky.deliveries.some((d) => d.body.submission.id === id), 'retried webhook');
    expect(flaky.requests()).toBe(3);

    const mail = await until(
      () => smtp.mails.find((m) => m.subject?.includes('Anna aus Berlin')),
      'ready mail',
    );
    expect(mail.subject).toBe('Neue Sprachnachricht von Anna aus Berlin');
    expect(mail.from?.value[0]).toMatchObject({ name: 'hallo', address: 'hallo@example.org' });
    expect((mail.to as { text: string }).text).toBe('redaktion@example.org, schnitt@example.org');
    expect(mail.text).toMatch(/Länge: 0:0\d/);
    expect(mail.text).toContain('Thema: Folge 12');
    expect(mail.text).toContain('Notiz: Grüße aus Berlin!');
    expect(mail.text).toContain(`https://hallo.example/inbox#/s/${id}`);
    expect(mail.attachments).toEqual([]);

    // The same job again (a second delivery of it): no second webhook, no second mail.
    expect(await processSubmission(hallo.services, id, 2)).toBe('already-done');
    await new Promise((r) => setTimeout(r, 1000));
    expect(eventsFor(id, 'submission.ready')).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.text?.includes(id))).toHaveLength(1);

    // Approving announces once, a second approval does not; erasing announces the deletion.
    await hallo.admin(`/api/admin/submissions/${id}`, json({ state: 'approved' }));
    await hallo.admin(`/api/admin/submissions/${id}`, json({ state: 'approved', starred: true }));
    const approved = await until(() => eventsFor(id, 'submission.approved')[0], 'approved webhook');
    expect(approved.body.submission.review).toEqual({ state: 'approved' });
    await hallo.admin(`/api/admin/submissions/${id}`, { method: 'DELETE' });
    const deleted = await until(() => eventsFor(id, 'submission.deleted')[0], 'deleted webhook');
    expect(deleted.body).toEqual({
      event: 'submission.deleted',
      occurredAt: expect.any(String),
      submission: { id, inboxUrl: `https://hallo.example/inbox#/s/${id}` },
    });
    expect(deleted.signatureValid).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsFor(id, 'submission.approved')).toHaveLength(1);
  });

  it('puts a day of messages into one digest mail, and sends none on a quiet day', async () => {
    const start = new Date();
    const ids: string[] = [];
    for (const name of ['Dora Digest', 'Emil Digest']) {
      const sent = await hallo.upload({
        audio: { path: fixture('speech.mp3') },
        fields: { ...validFields, name },
      });
      ids.push(sent.body.id);
    }
    for (const id of ids) await hallo.waitForProcessing(id, ['ready']);
    expect(await sendDigestMail(hallo.services, start, new Date())).toBe(2);
    const digest = await until(
      () => smtp.mails.find((m) => m.subject === '2 neue Sprachnachrichten'),
      'digest mail',
    );
    expect(digest.text).toMatch(/• Dora Digest[\s\S]*• Emil Digest/);
    const quiet = new Date(Date.now() + 3600_000);
    expect(await sendDigestMail(hallo.services, quiet, new Date(quiet.getTime() + 1000))).toBe(0);
  });
});

describe('daily housekeeping', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({
      driver: 'disk',
      env: {
        RETENTION_DAYS: '30',
        TIMEZONE: 'Europe/Berlin',
        RETENTION_HOUR: '4',
        SMTP_URL: 'smtp://127.0.0.1:1',
        MAIL_TO: 'a@example.org',
        MAIL_MODE: 'digest',
        DIGEST_HOUR: '7',
      },
    });
  });
  afterAll(() => hallo?.stop());

  it('schedules retention and the digest as daily job schedulers in the configured time zone', async () => {
    await scheduleMaintenance(hallo.services);
    await scheduleMaintenance(hallo.services); // every worker does this at start: still one each
    const schedulers = await hallo.services.queues.queue('maintenance').getJobSchedulers();
    const byKey = Object.fromEntries(schedulers.map((s) => [s.key, s]));
    expect(schedulers).toHaveLength(2);
    expect(byKey.retention).toMatchObject({ pattern: '0 4 * * *', tz: 'Europe/Berlin' });
    expect(byKey.digest).toMatchObject({ pattern: '0 7 * * *', tz: 'Europe/Berlin' });
  });

  it('erases unreviewed and rejected messages past the retention period, keeps approved ones', async () => {
    const ids: Record<string, string> = {};
    for (const key of ['fresh', 'rejected', 'approved', 'used']) {
      const sent = await hallo.upload({
        audio: { path: fixture('speech.mp3') },
        fields: { ...validFields, name: key },
      });
      ids[key] = sent.body.id;
      await hallo.waitForProcessing(sent.body.id, ['ready']);
    }
    await hallo.admin(`/api/admin/submissions/${ids.rejected}`, json({ state: 'rejected' }));
    await hallo.admin(`/api/admin/submissions/${ids.approved}`, json({ state: 'approved' }));
    await hallo.admin(
      `/api/admin/submissions/${ids.used}`,
      json({ state: 'used', episode: 'Folge 1' }),
    );

    expect((await applyRetention(hallo.services, 30)).erased).toEqual([]); // all younger than 30 days
    const later = new Date(Date.now() + 31 * 24 * 3600 * 1000);
    const { erased } = await applyRetention(hallo.services, 30, later);
    expect(erased.sort()).toEqual([ids.fresh, ids.rejected].sort());
    const keys = await hallo.objectKeys();
    expect(keys.filter((k) => k.includes(ids.fresh!) || k.includes(ids.rejected!))).toEqual([]);
    expect(keys.filter((k) => k.includes(ids.approved!)).length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.includes(ids.used!)).length).toBeGreaterThan(0);
  });
});
