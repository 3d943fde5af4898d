import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { SessionStore } from '../../src/accounts/session-store';
import { appRoutes } from '../support/app-routes';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { REDIS_URL } from '../support/redis-url';

const OWNER = { email: 'Olga@Example.org', password: 'owner-password-123' };
const EDITOR = { email: 'eddi@example.org', password: 'editor-password-123' };

describe('accounts, sessions, API tokens and CSRF', () => {
  let hallo: Harness;
  let submissionId: string;

  beforeAll(async () => {
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      env: { LOGIN_ATTEMPTS_PER_ACCOUNT: '4', LOGIN_ATTEMPTS_PER_IP: '40' },
    });
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
    await hallo.services.accounts.save(EDITOR.email, 'editor', EDITOR.password);
    const sent = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: validFields,
    });
    submissionId = sent.body.id;
  });
  afterAll(() => hallo?.stop());

  const sameOrigin = () => ({ origin: hallo.url });

  async function signIn(
    who: { email: string; password: string },
    headers: Record<string, string> = sameOrigin(),
  ) {
    const response = await fetch(`${hallo.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(who),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    return { response, cookie, session: /hallo_session=([^;]*)/.exec(cookie)?.[1] ?? '' };
  }

  const asSession = (session: string, pathname: string, init: RequestInit = {}) =>
    fetch(`${hallo.url}${pathname}`, {
      ...init,
      redirect: 'manual',
      headers: { cookie: `hallo_session=${session}`, ...(init.headers as Record<string, string>) },
    });

  const patchReview = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'PATCH',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

  it('signs in with a new HttpOnly, SameSite=Lax session cookie, and signs out', async () => {
    const first = await signIn(OWNER);
    expect(first.response.status).toBe(200);
    expect(await first.response.json()).toEqual({ email: 'olga@example.org', role: 'owner' });
    expect(first.cookie).toMatch(/HttpOnly/i);
    expect(first.cookie).toMatch(/SameSite=Lax/i);
    expect(first.cookie).toMatch(/Path=\//);
    expect(first.cookie).not.toMatch(/Secure/); // plain http on localhost
    expect(first.session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Redis keeps only a hash of the id.
    expect((await hallo.redisKeys('sess:*')).join()).not.toContain(first.session);

    const me = await asSession(first.session, '/api/session');
    expect(await me.json()).toEqual({ email: 'olga@example.org', role: 'owner', kind: 'session' });
    expect((await asSession(first.session, '/api/admin/submissions')).status).toBe(200);

    // Signing in again gives a new id and ends the one the browser had.
    const second = await signIn(OWNER, {
      ...sameOrigin(),
      cookie: `hallo_session=${first.session}`,
    } as never);
    expect(second.session).not.toBe(first.session);
    expect((await asSession(first.session, '/api/session')).status).toBe(401);

    const out = await asSession(second.session, '/api/session', {
      method: 'DELETE',
      headers: sameOrigin(),
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/hallo_session=;/);
    expect((await asSession(second.session, '/api/admin/submissions')).status).toBe(401);
  });

  it('refuses a wrong password and an unknown account with the same answer', async () => {
    const wrong = await signIn({ email: EDITOR.email, password: 'not-the-password' });
    const unknown = await signIn({ email: 'nobody@example.org', password: 'whatever-123456' });
    const bodies = [await wrong.response.json(), await unknown.response.json()];
    expect([wrong.response.status, unknown.response.status]).toEqual([401, 401]);
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[0].error.code).toBe('LOGIN_FAILED');
    expect(wrong.session).toBe('');
  });

  it('refuses state changes by cookie from other sites (CSRF), and login from other sites', async () => {
    const { session } = await signIn(OWNER);
    const path = `/api/admin/submissions/${submissionId}`;
    const noOrigin = await asSession(session, path, patchReview({ starred: true }));
    expect([noOrigin.status, (await noOrigin.json()).error.code]).toEqual([
      403,
      'CROSS_SITE_REQUEST',
    ]);
    const evil = await asSession(
      session,
      path,
      patchReview({ starred: true }, { origin: 'https://evil.example' }),
    );
    expect(evil.status).toBe(403);
    const crossSite = await asSession(
      session,
      path,
      patchReview({ starred: true }, { 'sec-fetch-site': 'cross-site', origin: hallo.url }),
    );
    expect(crossSite.status).toBe(403);
    expect((await hallo.adminJson(path)).review.starred).toBe(false);

    const ok = await asSession(
      session,
      path,
      patchReview({ starred: true }, { 'sec-fetch-site': 'same-origin' }),
    );
    expect(ok.status).toBe(200);
    expect((await ok.json()).review).toMatchObject({
      starred: true,
      updatedBy: 'olga@example.org',
    });

    const loginFromElsewhere = await signIn(OWNER, { origin: 'https://evil.example' });
    expect(loginFromElsewhere.response.status).toBe(403);
  });

  it('lets an editor tag, note and mark approved clips as used, but not decide, delete or erase', async () => {
    const { session } = await signIn(EDITOR);
    const path = `/api/admin/submissions/${submissionId}`;
    const as = (init: RequestInit) => asSession(session, path, init);
    const approve = await as(patchReview({ state: 'approved' }, sameOrigin()));
    expect([approve.status, (await approve.json()).error.code]).toEqual([403, 'FORBIDDEN']);
    const tag = await as(
      patchReview({ episode: 'Folge 3', note: 'Schnitt bei 0:12' }, sameOrigin()),
    );
    expect(tag.status).toBe(200);
    // Only what the owner approved: a new clip is not the editor's to put on air.
    expect((await as(patchReview({ state: 'used' }, sameOrigin()))).status).toBe(403);
    await hallo.admin(path, patchReview({ state: 'approved' }, {}));
    const used = await as(patchReview({ state: 'used' }, sameOrigin()));
    expect((await used.json()).review).toMatchObject({ state: 'used', episode: 'Folge 3' });
    expect((await as({ method: 'DELETE', headers: sameOrigin() })).status).toBe(403);
    const erase = await asSession(session, '/api/admin/erasures', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sameOrigin() },
      body: JSON.stringify({ email: 'anna@example.org' }),
    });
    expect(erase.status).toBe(403);
    expect((await asSession(session, `${path}/audio/original`)).status).toBe(200);
    expect((await hallo.adminJson(path)).id).toBe(submissionId); // still there
  });

  it('creates a personal API token shown once, usable as Bearer, and revocable', async () => {
    const { session } = await signIn(EDITOR);
    const created = await asSession(session, '/api/admin/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sameOrigin() },
      body: JSON.stringify({ name: 'Schnitt-Skript' }),
    });
    expect(created.status).toBe(201);
    const { token, id } = await created.json();
    expect(token).toMatch(/^hallo_[A-Za-z0-9_-]{43}$/);
    const listed = await (await asSession(session, '/api/admin/tokens')).json();
    expect(listed.items).toEqual([expect.objectContaining({ id, name: 'Schnitt-Skript' })]);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await hallo.objectKeys()).join()).not.toContain(token.slice(6));

    const bearer = { authorization: `Bearer ${token}` };
    const me = await fetch(`${hallo.url}/api/session`, { headers: bearer });
    expect(await me.json()).toEqual({ email: EDITOR.email, role: 'editor', kind: 'api-token' });
    // No CSRF check for bearer tokens: a browser never sends them on its own.
    const tagged = await fetch(`${hallo.url}/api/admin/submissions/${submissionId}`, {
      ...patchReview({ starred: false }),
      headers: { 'content-type': 'application/json', ...bearer },
    });
    expect(tagged.status).toBe(200);

    const revoked = await asSession(session, `/api/admin/tokens/${id}`, {
      method: 'DELETE',
      headers: sameOrigin(),
    });
    expect(revoked.status).toBe(204);
    expect((await fetch(`${hallo.url}/api/admin/submissions`, { headers: bearer })).status).toBe(
      401,
    );
  });

  it('slows failed sign-ins per account with 429 and Retry-After, but not from a known device', async () => {
    const target = { email: 'limit@example.org', password: 'limit-password-123' };
    await hallo.services.accounts.save(target.email, 'editor', target.password);
    const known = await signIn(target);
    const device = /hallo_device=[^;]+/.exec(known.response.headers.get('set-cookie') ?? '')![0];
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = (await signIn({ email: 'LIMIT@example.org', password: `wrong-${i}` })).response;
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await last!.json()).error.code).toBe('LOGIN_THROTTLED');
    // The right password from a browser the account never used waits too …
    expect((await signIn(target)).response.status).toBe(429);
    // … but not from one it signed in from before.
    expect((await signIn(target, { ...sameOrigin(), cookie: device })).response.status).toBe(200);
    // Another account is not affected.
    expect((await signIn(EDITOR)).response.status).toBe(200);
  });

  it('shows the queue dashboard to the owner only', async () => {
    expect((await fetch(`${hallo.url}/admin/queues`)).status).toBe(401);
    // Accounts of its own: sign-ins are limited per account, and the tests above used theirs.
    const viewer = { email: 'viewer@example.org', password: 'viewer-password-123' };
    const boss = { email: 'boss@example.org', password: 'boss-password-1234' };
    await hallo.services.accounts.save(viewer.email, 'editor', viewer.password);
    await hallo.services.accounts.save(boss.email, 'owner', boss.password);
    const editor = await signIn(viewer);
    expect(editor.response.status).toBe(200);
    expect((await asSession(editor.session, '/admin/queues')).status).toBe(403);
    const owner = await signIn(boss);
    const page = await asSession(owner.session, '/admin/queues');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>hallo<\/title>|bull/i);
    const api = await asSession(owner.session, '/admin/queues/api/queues');
    const names = ((await api.json()) as any).queues.map((q: { name: string }) => q.name).sort();
    expect(names).toEqual([
      'email',
      'maintenance',
      'newsletter',
      'reply',
      'segment',
      'transcode',
      'transcribe',
      'webhook',
    ]);
  });

  it('answers 401 on every admin route without a session or token', async () => {
    const routes = appRoutes(hallo.app).filter((r) => r.path.startsWith('/api/admin'));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const id = '01JDQ7Z8X9K3M5N7P9R1T3V5W7';
    for (const route of routes) {
      const url = `${hallo.url}${route.path
        .replace(':id', id)
        .replace(':variant', 'wav')
        .replace(':tokenId', '0123456789abcdef')}`;
      const response = await fetch(url, { method: route.method, headers: sameOrigin() });
      expect(`${route.method} ${route.path} ${response.status}`).toBe(
        `${route.method} ${route.path} 401`,
      );
    }
  });
});

describe('session timeouts (real Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `hallo-test-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('ends a session after the idle time, and after the absolute time even when in use', async () => {
    const sessions = new SessionStore(redis, prefix, { idleSeconds: 1, absoluteSeconds: 3 });
    const idle = await sessions.create('a'.repeat(32));
    await new Promise((r) => setTimeout(r, 1300));
    expect(await sessions.resolve(idle)).toBeUndefined();

    const busy = await sessions.create('b'.repeat(32));
    const seen: (string | undefined)[] = [];
    for (let i = 0; i < 8; i++) {
      seen.push(await sessions.resolve(busy));
      await new Promise((r) => setTimeout(r, 450));
    }
    expect(seen.slice(0, 5)).toEqual(Array(5).fill('b'.repeat(32))); // use keeps it alive
    expect(seen.at(-1)).toBeUndefined(); // but not past 3 s
  });

  it('ends every session of an account at once', async () => {
    const sessions = new SessionStore(redis, prefix, { idleSeconds: 60, absoluteSeconds: 600 });
    const account = 'c'.repeat(32);
    const [one, two] = [await sessions.create(account), await sessions.create(account)];
    const other = await sessions.create('d'.repeat(32));
    await sessions.destroyAllOf(account);
    expect(await sessions.resolve(one)).toBeUndefined();
    expect(await sessions.resolve(two)).toBeUndefined();
    expect(await sessions.resolve(other)).toBe('d'.repeat(32));
  });
});
