import { watchEventLoop } from '../support/event-loop-watchdog';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { unzip } from '../support/unzip';

const NAMES = [
  '../../../../etc/passwd',
  '..\\..\\Windows\\win.ini',
  '/absolute/path',
  'C:\\boot.ini',
  'Anna"; filename="evil.exe',
  'Anna\u202Egpj.exe',
  '%0d%0aSet-Cookie: x=1',
  '....//....//etc',
];

describe('listener names cannot steer file names, paths or headers', () => {
  let hallo: Harness;
  const ids: string[] = [];
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk' });
    for (const name of NAMES) {
      const sent = await hallo.upload({
        audio: { path: fixture('speech.wav') },
        fields: { ...validFields, name },
      });
      expect(sent.status).toBe(201);
      ids.push(sent.body.id);
    }
    for (const id of ids) {
      await hallo.waitForProcessing(id, ['ready']);
      await hallo.admin(`/api/admin/submissions/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'approved', episode: 'Folge 5' }),
      });
    }
  });
  afterAll(() => hallo.stop());
  const watch = watchEventLoop();

  it('writes only flat, plain entry names into the bundle (no zip-slip)', async () => {
    const bundle = await hallo.admin('/api/admin/bundle?episode=Folge%205');
    expect(bundle.status).toBe(200);
    const zip = Buffer.from(await bundle.arrayBuffer());
    // Reading the ZIP back is the test's work, not the service's.
    const names = [...(await watch.unwatched(() => unzip(zip))).keys()];
    expect(names).toHaveLength(NAMES.length + 2);
    for (const name of names) expect(name).toMatch(/^[0-9a-z_.-]+$/);
  });

  it.each(['wav', 'mp3', 'original'])(
    'gives the %s download one safe Content-Disposition',
    async (variant) => {
      for (const id of ids) {
        const response = await hallo.admin(`/api/admin/submissions/${id}/audio/${variant}`);
        expect(response.status).toBe(200);
        const disposition = response.headers.get('content-disposition')!;
        expect(disposition).toMatch(
          /^attachment; filename="[0-9a-z_.-]+"(; filename\*=UTF-8''[0-9A-Za-z_.%-]+)?$/,
        );
        expect(response.headers.get('set-cookie')).toBeNull();
        await response.arrayBuffer();
      }
    },
  );

  it('keeps a name on one line, and refuses other control characters', async () => {
    const folded = await hallo.upload({
      audio: { path: fixture('speech.wav') },
      fields: { ...validFields, name: 'Anna\r\nSet-Cookie: x=1' },
    });
    expect(folded.status).toBe(201);
    const stored = await hallo.adminJson(`/api/admin/submissions/${folded.body.id}`);
    expect(stored.name).toBe('Anna Set-Cookie: x=1');
    const refused = await hallo.upload({
      audio: { path: fixture('speech.wav') },
      fields: { ...validFields, name: 'Anna\u0000\u001b[31m' },
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'NAME_INVALID']);
  });
});
