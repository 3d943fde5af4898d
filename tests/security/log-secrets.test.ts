import { captureLog } from '../support/log-capture';
import { watchEventLoop } from '../support/event-loop-watchdog';
import { fixture } from '../support/fixtures';
import { ADMIN_TOKEN, startHallo, validFields, type Harness } from '../support/hallo-harness';
import { startWebhookReceiver } from '../support/webhook-receiver';

const OWNER = { email: 'olga@example.org', password: 'owner-password-4711' };
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdef';

describe('no secret reaches a log line, at any level', () => {
  let hallo: Harness;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const { stream: log, lines } = captureLog();

  beforeAll(async () => {
    receiver = await startWebhookReceiver(WEBHOOK_SECRET);
    hallo = await startHallo({
      driver: 's3',
      log,
      env: {
        LOG_LEVEL: 'trace',
        METRICS_TOKEN,
        WEBHOOK_SECRET,
        WEBHOOK_URLS: receiver.url,
      },
    });
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
  });
  afterAll(async () => {
    await hallo.stop();
    await receiver.stop();
  });
  const watch = watchEventLoop();

  it('keeps every secret of a whole session out of the log', async () => {
    const secrets: Record<string, string> = {
      ADMIN_TOKEN,
      METRICS_TOKEN,
      WEBHOOK_SECRET,
      password: OWNER.password,
    };
    const origin = { origin: hallo.url };
    const signIn = await fetch(`${hallo.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...origin },
      body: JSON.stringify(OWNER),
    });
    expect(signIn.status).toBe(200);
    secrets.session = /hallo_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')![1]!;
    const cookie = { cookie: `hallo_session=${secrets.session}` };

    const sent = await hallo.upload({
      audio: { path: fixture('speech.wav') },
      fields: validFields,
    });
    expect(sent.status).toBe(201);
    // The render runs in this process too: the worker's time, not the attack surface's.
    await watch.unwatched(() => hallo.waitForProcessing(sent.body.id, ['ready']));

    const created = await fetch(`${hallo.url}/api/admin/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...cookie, ...origin },
      body: JSON.stringify({ name: 'script' }),
    });
    expect(created.status).toBe(201);
    secrets.apiToken = ((await created.json()) as { token: string }).token;

    // A download from S3 is a redirect to a presigned link: the link is a secret too.
    const download = await fetch(`${hallo.url}/api/admin/submissions/${sent.body.id}/audio/wav`, {
      headers: { authorization: `Bearer ${secrets.apiToken}` },
      redirect: 'manual',
    });
    expect(download.status).toBe(302);
    const link = new URL(download.headers.get('location')!);
    secrets.presignedSignature = link.searchParams.get('X-Amz-Signature')!;
    secrets.presignedLink = link.toString();
    expect((await fetch(link)).status).toBe(200);

    expect(
      (
        await fetch(`${hallo.url}/metrics`, {
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        })
      ).status,
    ).toBe(200);
    // Refused secrets are secrets too.
    expect(
      (
        await fetch(`${hallo.url}/api/admin/submissions`, {
          headers: { authorization: 'Bearer hallo_wrongwrongwrongwrongwrong' },
        })
      ).status,
    ).toBe(401);
    const signOut = await fetch(`${hallo.url}/api/session`, {
      method: 'DELETE',
      headers: { ...cookie, ...origin },
    });
    expect(signOut.status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const text = lines.join('\n');
    // The capture holds the whole session: requests, the job, the sign-in.
    expect(text).toMatch(/"url":"\/api\/session"/);
    expect(text).toMatch(/signed in/);
    expect(text).toMatch(/job finished/);
    const leaked = Object.entries(secrets)
      .filter(([, value]) => text.includes(value))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
    expect(text).not.toMatch(/hallo_wrong/);
    expect(text).not.toMatch(/set-cookie/i);
  });
});
