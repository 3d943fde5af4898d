import { runAccountCommand } from '../../src/cli/account-commands';
import { watchEventLoop } from '../support/event-loop-watchdog';
import { ADMIN_TOKEN, startHallo, type Harness } from '../support/hallo-harness';

const OWNER = { email: 'olga@example.org', password: 'owner-password-4711' };
const EDITOR = { email: 'eddi@example.org', password: 'editor-password-4711' };

describe('tokens end with what should end them', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
    await hallo.services.accounts.save(OWNER.email, 'owner', OWNER.password);
    await hallo.services.accounts.save(EDITOR.email, 'editor', EDITOR.password);
  });
  afterAll(() => hallo.stop());
  watchEventLoop();

  const request = (pathname: string, auth: Record<string, string>, init: RequestInit = {}) =>
    fetch(`${hallo.url}${pathname}`, {
      ...init,
      headers: {
        origin: hallo.url,
        'content-type': 'application/json',
        ...auth,
        ...(init.headers as Record<string, string>),
      },
    });
  async function signIn(who: typeof OWNER) {
    const response = await request(
      '/api/session',
      {},
      { method: 'POST', body: JSON.stringify(who) },
    );
    expect(response.status).toBe(200);
    return { cookie: /hallo_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0] };
  }
  async function createToken(auth: Record<string, string>, name = 'script') {
    const response = await request('/api/admin/tokens', auth, {
      method: 'POST',
      body: JSON.stringify({ name }),
    });
    return { status: response.status, body: (await response.json()) as any };
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const whoAmI = async (auth: Record<string, string>) =>
    (await request('/api/session', auth)).status;

  it('a token cannot mint a token, nor can the ADMIN_TOKEN', async () => {
    const session = await signIn(EDITOR);
    const parent = await createToken(session);
    expect(parent.status).toBe(201);
    const child = await createToken(bearer(parent.body.token));
    expect([child.status, child.body.error.code]).toEqual([403, 'SESSION_REQUIRED']);
    expect((await createToken(bearer(ADMIN_TOKEN))).status).toBe(403);
  });

  it('a password reset ends every session and every token of the account', async () => {
    const session = await signIn(EDITOR);
    const { token } = (await createToken(session)).body;
    expect(await whoAmI(bearer(token))).toBe(200);
    await runAccountCommand(hallo.services, 'user', ['reset', EDITOR.email]);
    expect(await whoAmI(session)).toBe(401);
    expect(await whoAmI(bearer(token))).toBe(401);
    expect(
      await hallo.services.apiTokens.list(
        (await hallo.services.accounts.getByEmail(EDITOR.email))!.id,
      ),
    ).toEqual([]);
  });

  it('the owner lists and revokes every token; an editor only their own', async () => {
    await hallo.services.accounts.save(EDITOR.email, 'editor', EDITOR.password);
    const editor = await signIn(EDITOR);
    const owner = await signIn(OWNER);
    const editorToken = (await createToken(editor, 'export')).body;
    const ownerToken = (await createToken(owner, 'backup')).body;

    expect((await request('/api/admin/tokens?all=true', editor)).status).toBe(403);
    expect(
      (await request(`/api/admin/tokens/${ownerToken.id}`, editor, { method: 'DELETE' })).status,
    ).toBe(404);
    expect(await whoAmI(bearer(ownerToken.token))).toBe(200);

    const all = (await (await request('/api/admin/tokens?all=true', owner)).json()) as any;
    expect(all.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: editorToken.id, email: EDITOR.email, name: 'export' }),
        expect.objectContaining({ id: ownerToken.id, email: OWNER.email, name: 'backup' }),
      ]),
    );
    expect(JSON.stringify(all)).not.toContain(editorToken.token);
    expect(
      (await request(`/api/admin/tokens/${editorToken.id}`, owner, { method: 'DELETE' })).status,
    ).toBe(204);
    expect(await whoAmI(bearer(editorToken.token))).toBe(401);
  });
});
