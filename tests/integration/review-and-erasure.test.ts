import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

const json = (body: unknown, method = 'PATCH'): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

describe('reviewing and erasing submissions (disk storage, real worker)', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk' });
  });
  afterAll(() => hallo?.stop());

  async function readySubmission(fields: Record<string, string> = {}): Promise<string> {
    const sent = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: { ...validFields, ...fields },
    });
    expect(sent.status).toBe(201);
    await hallo.waitForProcessing(sent.body.id, ['ready']);
    return sent.body.id;
  }

  it('approves, stars, notes and tags a submission, and the list filters by each', async () => {
    const id = await readySubmission({ name: 'Rita Review' });
    const patch = (body: unknown) => hallo.admin(`/api/admin/submissions/${id}`, json(body));

    const approved = await patch({ state: 'approved', starred: true, episode: 'Folge 12' });
    expect(approved.status).toBe(200);
    expect((await approved.json()).review).toMatchObject({
      state: 'approved',
      starred: true,
      episode: 'Folge 12',
      updatedBy: 'admin-token',
    });
    // One change keeps the others: the note does not undo the approval.
    const noted = await (await patch({ note: 'Gut für den Einstieg' })).json();
    expect(noted.review).toMatchObject({ state: 'approved', note: 'Gut für den Einstieg' });

    const list = async (query: string) =>
      (await hallo.adminJson(`/api/admin/submissions?${query}`)).items.map((i: any) => i.id);
    expect(await list('review=approved')).toContain(id);
    expect(await list('review=new')).not.toContain(id);
    expect(await list('starred=true')).toEqual([id]);
    expect(await list(`episode=${encodeURIComponent('Folge 12')}`)).toEqual([id]);
    expect(await list('q=einstieg')).toEqual([id]);
    expect(await list('q=rita')).toEqual([id]);

    const used = await (await patch({ state: 'used' })).json();
    expect(used.review).toMatchObject({ state: 'used', episode: 'Folge 12' });
    expect(await list('review=used')).toEqual([id]);
  });

  it('refuses bad review changes with a clear code and changes nothing', async () => {
    const id = await readySubmission({ name: 'Otto Odd' });
    const before = await hallo.adminJson(`/api/admin/submissions/${id}`);
    const cases: [unknown, string][] = [
      [{ state: 'maybe' }, 'INVALID_BODY'],
      [{}, 'INVALID_BODY'],
      [{ state: 'approved', colour: 'red' }, 'INVALID_BODY'],
      [{ episode: '../../etc' }, 'INVALID_BODY'],
      [{ state: 'used' }, 'INVALID_BODY'], // used needs an episode
    ];
    for (const [body, code] of cases) {
      const response = await hallo.admin(`/api/admin/submissions/${id}`, json(body));
      expect([response.status, (await response.json()).error.code]).toEqual([400, code]);
    }
    const broken = await hallo.admin(`/api/admin/submissions/${id}`, {
      method: 'PATCH',
      body: '{"state":',
      headers: { 'content-type': 'application/json', 'accept-language': 'de' },
    });
    const brokenBody = await broken.json();
    expect([broken.status, brokenBody.error.code]).toEqual([400, 'INVALID_BODY']);
    expect(brokenBody.error.message).toMatch(/^Ungültige Angaben/);
    expect(await hallo.adminJson(`/api/admin/submissions/${id}`)).toEqual(before);

    const missing = await hallo.admin(
      '/api/admin/submissions/01JDQ7Z8X9K3M5N7P9R1T3V5W7',
      json({ state: 'approved' }),
    );
    expect(missing.status).toBe(404);
  });

  it('keeps both of two concurrent changes by different reviewers', async () => {
    const id = await readySubmission({ name: 'Clara Concurrent' });
    const changes = [
      { state: 'approved' },
      { starred: true },
      { episode: 'Folge 7' },
      { note: 'x' },
    ];
    const answers = await Promise.all(
      changes.map((body) => hallo.admin(`/api/admin/submissions/${id}`, json(body))),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const { review } = await hallo.adminJson(`/api/admin/submissions/${id}`);
    expect(review).toMatchObject({
      state: 'approved',
      starred: true,
      episode: 'Folge 7',
      note: 'x',
    });
  });

  it('erases a submission completely: objects, index entries, job, and says so', async () => {
    const id = await readySubmission({ name: 'Erika Erase', email: 'erika@example.org' });
    await hallo.admin(`/api/admin/submissions/${id}`, json({ starred: true, episode: 'Folge 9' }));
    expect((await hallo.objectKeys()).filter((k) => k.includes(id)).length).toBeGreaterThan(4);

    const response = await hallo.admin(`/api/admin/submissions/${id}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    const { erased } = await response.json();
    expect(erased).toMatchObject({ id, indexEntryRemoved: true, queuedJobRemoved: true });
    expect(erased.objectsDeleted).toBeGreaterThanOrEqual(6); // 3 documents, original, wav, mp3, peaks

    expect((await hallo.objectKeys()).filter((k) => k.includes(id))).toEqual([]);
    const redisTraces = [];
    for (const key of await hallo.redisKeys()) {
      if (key.includes(id)) redisTraces.push(key);
      const type = await hallo.services.redis.type(key);
      if (type === 'zset' && (await hallo.services.redis.zscore(key, id)) !== null)
        redisTraces.push(key);
    }
    expect(redisTraces).toEqual([]);
    expect((await hallo.admin(`/api/admin/submissions/${id}`)).status).toBe(404);
    const again = await hallo.admin(`/api/admin/submissions/${id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
  });

  it('erases everything a listener sent, found by their e-mail address', async () => {
    const first = await readySubmission({ name: 'Paula', email: 'Paula@Example.org' });
    const second = await readySubmission({ name: 'Paula', email: 'paula@example.org' });
    const other = await readySubmission({ name: 'Quentin', email: 'quentin@example.org' });
    const response = await hallo.admin(
      '/api/admin/erasures',
      json({ email: 'PAULA@example.org' }, 'POST'),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.count).toBe(2);
    expect(body.erased.map((e: any) => e.id).sort()).toEqual([first, second].sort());
    const keys = await hallo.objectKeys();
    expect(keys.filter((k) => k.includes(first) || k.includes(second))).toEqual([]);
    expect(keys.filter((k) => k.includes(other)).length).toBeGreaterThan(0);

    const bad = await hallo.admin('/api/admin/erasures', json({ email: 'nope' }, 'POST'));
    expect(bad.status).toBe(400);
  });
});
