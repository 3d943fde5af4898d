import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('Idempotency-Key', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
  });
  afterAll(() => hallo?.stop());

  const send = (key: string, fields = validFields, name = 'chrome.webm') =>
    hallo.upload({ audio: { path: fixture(name) }, fields }, { 'idempotency-key': key });

  it('a retry with the same key and content returns the same submission and stores one', async () => {
    const first = await send('retry-key-0001');
    expect(first.status).toBe(201);
    const second = await send('retry-key-0001');
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    const listing = (await hallo.adminJson('/api/admin/submissions')) as {
      items: { id: string }[];
    };
    expect(listing.items.map((i) => i.id)).toEqual([first.body.id]);
    expect((await hallo.objectKeys()).filter((k) => k.endsWith('listener.json'))).toHaveLength(1);
  });

  it('the same key with other content is refused with IDEMPOTENCY_KEY_REUSED', async () => {
    const first = await send('reuse-key-0001');
    expect(first.status).toBe(201);
    const otherFields = await send('reuse-key-0001', { ...validFields, message: 'something else' });
    expect(otherFields.status).toBe(422);
    expect(otherFields.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const otherAudio = await send('reuse-key-0001', validFields, 'firefox.ogg');
    expect(otherAudio.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('concurrent requests with one key store exactly one submission', async () => {
    const results = await Promise.all([
      send('race-key-0001'),
      send('race-key-0001'),
      send('race-key-0001'),
    ]);
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    for (const other of results.filter((r) => r.status !== 201)) {
      expect([200, 409]).toContain(other.status);
      if (other.status === 200) expect(other.body.id).toBe(created[0]?.body.id);
      else expect(other.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    }
  });

  it('a refused upload releases its key, so the corrected retry is accepted', async () => {
    const refused = await send('fix-key-00001', { name: 'Anna' } as typeof validFields);
    expect(refused.body.error.code).toBe('CONSENT_REQUIRED');
    const silent = await send('fix-key-00002', validFields, 'silent.webm');
    expect(silent.body.error.code).toBe('AUDIO_SILENT');
    const retried = await send('fix-key-00002', validFields, 'chrome.webm');
    expect(retried.status).toBe(201);
    expect(hallo.tempFiles()).toEqual([]);
  });
});
