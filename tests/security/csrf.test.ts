import { appRoutes } from '../support/app-routes';
import { watchEventLoop } from '../support/event-loop-watchdog';
import { startHallo, type Harness } from '../support/hallo-harness';
import { signedInCookie, TEST_OWNER } from '../support/sign-in';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('CSRF: a signed-in owner’s browser cannot be made to change anything from another site', () => {
  let hallo: Harness;
  let cookie: string;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
    cookie = await signedInCookie(hallo);
  });
  afterAll(() => hallo.stop());
  watchEventLoop();

  const crossSite: Array<[string, Record<string, string>]> = [
    ['a foreign Origin', { origin: 'https://evil.example' }],
    [
      'Sec-Fetch-Site: cross-site',
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    ],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['an opaque Origin', { origin: 'null' }],
    ['no Origin at all', {}],
  ];

  it.each(crossSite)('refuses every state-changing admin route with %s', async (_case, headers) => {
    const routes = appRoutes(hallo.app).filter(
      (r) => STATE_CHANGING.has(r.method) && r.path.startsWith('/api/admin'),
    );
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const answers = [];
    for (const route of routes) {
      const url = `${hallo.url}${route.path
        .replace(':id', '01JDQ7Z8X9K3M5N7P9R1T3V5W7')
        .replace(':tokenId', '0123456789abcdef')}`;
      const response = await fetch(url, {
        method: route.method,
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body:
          route.method === 'DELETE'
            ? undefined
            : '{"state":"approved","email":"a@b.de","name":"x"}',
      });
      answers.push(`${route.method} ${route.path} ${response.status}`);
    }
    expect(answers).toEqual(routes.map((r) => `${r.method} ${r.path} 403`));
  });

  it.each(crossSite)('refuses signing in and out with %s', async (_case, headers) => {
    const signIn = await fetch(`${hallo.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(TEST_OWNER),
    });
    expect(signIn.status).toBe(403);
    const signOut = await fetch(`${hallo.url}/api/session`, {
      method: 'DELETE',
      headers: { cookie, ...headers },
    });
    expect(signOut.status).toBe(403);
    expect((await fetch(`${hallo.url}/api/session`, { headers: { cookie } })).status).toBe(200);
  });

  it('refuses the queue dashboard’s actions from another site', async () => {
    const response = await fetch(`${hallo.url}/admin/queues/api/queues/transcode/retry/failed`, {
      method: 'PUT',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.code).toBe('CROSS_SITE_REQUEST');
  });
});
