import { watchEventLoop } from '../support/event-loop-watchdog';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('decisions are the owner’s through every route', () => {
  let hallo: Harness;
  let editorToken: string;
  let id: string;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk' });
    const editor = await hallo.services.accounts.save(
      'ed@example.org',
      'editor',
      'editor-pass-123',
    );
    editorToken = (await hallo.services.apiTokens.create(editor.id, 'script')).token;
    const sent = await hallo.upload({
      audio: { path: fixture('speech.wav') },
      fields: validFields,
    });
    id = sent.body.id;
    await hallo.waitForProcessing(id, ['ready']);
  });
  afterAll(() => hallo.stop());
  watchEventLoop();

  const asEditor = (body: object) =>
    fetch(`${hallo.url}/api/admin/submissions/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${editorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const asOwner = (body: object) =>
    hallo.admin(`/api/admin/submissions/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const bundleStatus = async () =>
    (await hallo.admin(`/api/admin/bundle?episode=${encodeURIComponent('Folge 9')}`)).status;

  it('an editor cannot put a new clip on air', async () => {
    const response = await asEditor({ state: 'used', episode: 'Folge 9' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.code).toBe('FORBIDDEN');
    expect(await bundleStatus()).toBe(404);
  });

  it('an editor cannot overrule a rejection, in one step or two', async () => {
    expect((await asOwner({ state: 'rejected' })).status).toBe(200);
    expect((await asEditor({ state: 'used', episode: 'Folge 9' })).status).toBe(403);
    expect((await asEditor({ state: 'approved' })).status).toBe(403);
    expect((await asEditor({ state: 'new' })).status).toBe(403);
    const review = ((await hallo.adminJson(`/api/admin/submissions/${id}`)) as any).review;
    expect(review.state).toBe('rejected');
    expect(await bundleStatus()).toBe(404);
  });

  it('an editor marks what the owner approved as used, and the owner can take it back', async () => {
    expect((await asOwner({ state: 'approved' })).status).toBe(200);
    expect((await asEditor({ state: 'used', episode: 'Folge 9' })).status).toBe(200);
    expect(await bundleStatus()).toBe(200);
    expect((await asEditor({ episode: 'Folge 10' })).status).toBe(403);
    expect((await asEditor({ state: 'approved' })).status).toBe(403);
    expect((await asOwner({ state: 'rejected' })).status).toBe(200);
    expect(await bundleStatus()).toBe(404);
  });
});
