import { watchEventLoop } from '../support/event-loop-watchdog';
import { startHallo, type Harness } from '../support/hallo-harness';
import { signedInCookie } from '../support/sign-in';

const ID = '01JDQ0000000000000000000AA';

/** Bodies that have frozen or fooled JSON and form parsers elsewhere, each within 16 kB. */
const HOSTILE_JSON: Array<[string, string]> = [
  ['deep nesting', '['.repeat(8000) + ']'.repeat(8000)],
  ['deep objects', '{"a":'.repeat(2500) + '1' + '}'.repeat(2500)],
  ['many keys', `{${Array.from({ length: 1500 }, (_, i) => `"k${i}":1`).join(',')}}`],
  ['a prototype key', '{"__proto__":{"role":"owner","isAdmin":true},"name":"x"}'],
  ['a constructor key', '{"constructor":{"prototype":{"polluted":true}},"state":"approved"}'],
  ['a sparse index', '{"state":{"4294967294":"x"}}'],
  ['a huge number', `{"starred":${'9'.repeat(5000)}}`],
  ['not JSON', '{"state":'],
  ['a bare string', '"approved"'],
];

describe('every JSON body and query string is parsed within bounds', () => {
  let hallo: Harness;
  let cookie: string;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
    cookie = await signedInCookie(hallo);
  });
  afterAll(() => hallo.stop());
  watchEventLoop();

  const routes: Array<[string, string, boolean]> = [
    ['PATCH', `/api/admin/submissions/${ID}`, true],
    ['POST', '/api/admin/erasures', true],
    ['POST', '/api/admin/tokens', true],
    ['POST', '/api/session', false],
  ];

  const send = async (
    method: string,
    pathname: string,
    body: string,
    signedIn: boolean,
    type = 'application/json',
  ) => {
    const started = Date.now();
    const response = await fetch(`${hallo.url}${pathname}`, {
      method,
      headers: { 'content-type': type, origin: hallo.url, ...(signedIn && { cookie }) },
      body,
    });
    const answer = (await response.json()) as any;
    return {
      status: response.status,
      code: answer.error?.code as string,
      ms: Date.now() - started,
    };
  };

  describe.each(routes)('%s %s', (method, pathname, signedIn) => {
    it.each(HOSTILE_JSON)('refuses %s with a 4xx and a code, quickly', async (_case, body) => {
      const answer = await send(method, pathname, body, signedIn);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.code).toMatch(/^[A-Z_]+$/);
      expect(answer.ms).toBeLessThan(1000);
    });

    it('refuses a body over 16 kB and other content types', async () => {
      const big = await send(method, pathname, JSON.stringify({ note: 'x'.repeat(1e6) }), signedIn);
      expect([big.status, big.code]).toEqual([400, 'INVALID_BODY']);
      const form = await send(
        method,
        pathname,
        'state=approved',
        signedIn,
        'application/x-www-form-urlencoded',
      );
      expect(form.status).toBeGreaterThanOrEqual(400);
      expect(form.status).toBeLessThan(500);
    });
  });

  it('leaves Object.prototype alone', () => {
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it.each([
    ['bracketed names', 'review[4294967294]=x&review[b]=y'],
    ['nested names', 'q[a][b][c][d]=x'],
    ['a repeated name', Array.from({ length: 2000 }, () => 'limit=1').join('&')],
    ['many names', Array.from({ length: 2000 }, (_, i) => `p${i}=1`).join('&')],
    ['a prototype name', '__proto__[role]=owner&constructor[prototype][x]=1'],
  ])('refuses a query with %s as INVALID_QUERY', async (_case, query) => {
    const response = await fetch(`${hallo.url}/api/admin/submissions?${query}`, {
      headers: { cookie },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.code).toBe('INVALID_QUERY');
  });
});
