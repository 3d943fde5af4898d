import { Redis } from 'ioredis';
import { LoginThrottle } from '../../src/accounts/login-throttle';
import { watchEventLoop } from '../support/event-loop-watchdog';
import { startHallo, type Harness } from '../support/hallo-harness';
import { REDIS_URL } from '../support/redis-url';

const OWNER = { email: 'olga@example.org', password: 'owner-password-4711' };

describe('sign-in throttling that hands an attacker no lock-out', () => {
  let hallo: Harness;
  beforeAll(async () => {
    // Defaults: 20 failures per address, 8 per account, in 15 minutes.
    hallo = await startHallo({ driver: 'disk', worker: false });
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
  });
  afterAll(() => hallo.stop());
  watchEventLoop();

  async function signIn(
    who: { email: string; password: string },
    from: string,
    extra: Record<string, string> = {},
  ) {
    const response = await fetch(`${hallo.url}/api/session`, {
      method: 'POST',
      // hallo trusts its loopback proxy (TRUST_PROXY=loopback): this is the client's address.
      headers: {
        'content-type': 'application/json',
        origin: hallo.url,
        'x-forwarded-for': from,
        ...extra,
      },
      body: JSON.stringify(who),
    });
    const body = (await response.json()) as any;
    const device = /hallo_device=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
    return {
      status: response.status,
      body,
      device,
      retryAfter: response.headers.get('retry-after'),
    };
  }

  it('successful sign-ins are not counted', async () => {
    for (let i = 0; i < 25; i++) expect((await signIn(OWNER, '198.51.100.10')).status).toBe(200);
  });

  it('a stranger’s wrong passwords do not keep the owner out of a browser they used before', async () => {
    const { device } = await signIn(OWNER, '198.51.100.20');
    expect(device).toBeDefined();
    const attacker = [];
    for (let i = 0; i < 30; i++)
      attacker.push(
        (await signIn({ ...OWNER, password: `guess-${i}` }, `203.0.113.${i % 3}`)).status,
      );
    expect(attacker.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(attacker.slice(8)).toContain(429);
    const owner = await signIn(OWNER, '198.51.100.20', { cookie: device! });
    expect(owner.status).toBe(200);
    // A browser the account never used waits out the back-off, and is told why.
    const stranger = await signIn(OWNER, '198.51.100.21', {});
    expect(stranger.status).toBe(429);
    expect(stranger.body.error.code).toBe('LOGIN_THROTTLED');
    expect(stranger.body.error.message).toMatch(/Anmeldeversuche/);
    expect(Number(stranger.retryAfter)).toBeGreaterThan(0);
  });

  it('one address that keeps failing is stopped, in the words of sign-ins', async () => {
    const statuses = [];
    let last;
    for (let i = 0; i < 22; i++) {
      last = await signIn({ email: `nobody${i}@example.org`, password: 'x' }, '203.0.113.99', {
        'accept-language': 'en',
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect(last!.body.error.message).toMatch(/sign-in attempts/);
    expect(last!.body.error.message).not.toMatch(/messages/);
    // Another address is not affected.
    expect((await signIn({ email: 'x@example.org', password: 'x' }, '198.51.100.30')).status).toBe(
      401,
    );
  });

  it('backs off 1, 2, 4 … seconds after the free failures, at most the window', async () => {
    const redis = new Redis(REDIS_URL);
    const prefix = `hallo-test-throttle-${process.pid}`;
    const throttle = new LoginThrottle(redis, prefix, { freeFailures: 3, windowSeconds: 60 });
    const t0 = 1_000_000;
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      waits.push(await throttle.waitSeconds('a@example.org', t0));
      await throttle.recordFailure('a@example.org', t0);
    }
    expect(waits).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 60]);
    expect(await throttle.waitSeconds('a@example.org', t0 + 61_000)).toBe(0);
    expect(await throttle.waitSeconds('b@example.org', t0)).toBe(0);
    await redis.del(...(await redis.keys(`${prefix}:*`)));
    redis.disconnect();
  });
});
