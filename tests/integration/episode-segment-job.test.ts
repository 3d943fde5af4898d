import { openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { episodeKey } from '../../src/storage/keys';
import { sendMessages } from '../support/send-messages';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import { loudness } from '../support/measure-audio';
import { pollUntil } from '../support/poll';
import { probeChapters } from '../support/probe-chapters';

const EPISODE = 'Folge 42';
const GAP = 0.8;
const episodePath = `/api/admin/episodes/${encodeURIComponent(EPISODE)}`;
const json = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

describe('the episode segment, from the inbox to the files (S3 storage)', () => {
  let hallo: Harness;
  let dir: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    hallo = await startHallo({ driver: 's3', env: { SEGMENT_GAP_SECONDS: String(GAP) } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'hallo-segment-'));
    const messages = [
      ['anna', 'chrome.webm', { name: 'Anna aus Berlin', topic: 'Wetter' }],
      ['jorg', 'phone.m4a', { name: 'Jörg; aus = Köln', topic: 'Folge #41' }],
      ['safari', 'safari.mp4', { name: 'Sam' }],
      ['rejected', 'speech.mp3', { name: 'Nope' }],
    ] as const;
    Object.assign(ids, await sendMessages(hallo, messages));
    for (const id of Object.values(ids)) await hallo.waitForProcessing(id, ['ready']);
    for (const key of ['anna', 'jorg', 'safari', 'rejected']) {
      const state = key === 'rejected' ? 'rejected' : 'approved';
      const reviewed = await hallo.admin(
        `/api/admin/submissions/${ids[key]}`,
        json('PATCH', { state, episode: EPISODE }),
      );
      expect(reviewed.status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => {
    await hallo?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const view = async () => (await hallo.adminJson(episodePath)) as any;
  const renderAndWait = async () => {
    const started = await hallo.admin(`${episodePath}/segment`, { method: 'POST' });
    expect([200, 202]).toContain(started.status);
    const seen = new Set<string>();
    const done = await pollUntil(
      view,
      (v) => (seen.add(v.segment.state), ['ready', 'failed'].includes(v.segment.state)),
      'segment state',
      60_000,
    );
    expect(done.segment).toMatchObject({ state: 'ready', progress: 100 });
    return { done, seen };
  };
  /** A download, following the presigned redirect S3 storage answers with. */
  const follow = async (pathname: string) => {
    const response = await hallo.admin(pathname);
    return response.status === 302 ? fetch(response.headers.get('location')!) : response;
  };
  const download = (file: string) => follow(`${episodePath}/${file}`);
  const save = async (file: string) => {
    const response = await download(file);
    expect(response.status).toBe(200);
    const target = path.join(dir, file);
    await writeFile(target, Buffer.from(await response.arrayBuffer()));
    return target;
  };

  it("lists the episode's approved clips in arrival order, nothing rendered yet", async () => {
    const v = await view();
    expect(v.clips.map((c: any) => c.id)).toEqual([ids.anna, ids.jorg, ids.safari]);
    expect(v.clips[1].title).toBe('Jörg; aus = Köln — Folge #41');
    expect(v.segment).toMatchObject({ state: 'none', gapSeconds: GAP });
    const early = await hallo.admin(`${episodePath}/segment.wav`);
    expect([early.status, (await early.json()).error.code]).toEqual([409, 'SEGMENT_NOT_READY']);
  });

  it('keeps the order the editor sets, and renders the segment in it with chapters', async () => {
    const order = [ids.safari, ids.anna, ids.jorg];
    const put = await hallo.admin(`${episodePath}/order`, json('PUT', { ids: order }));
    expect(put.status).toBe(200);
    expect((await put.json()).clips.map((c: any) => c.id)).toEqual(order);

    const { done, seen } = await renderAndWait();
    expect([...seen].every((s) => ['none', 'queued', 'rendering', 'ready'].includes(s))).toBe(true);
    const titles = ['Sam', 'Anna aus Berlin — Wetter', 'Jörg; aus = Köln — Folge #41'];
    expect(done.segment.rendered.chapters.map((c: any) => c.title)).toEqual(titles);

    const durations = done.clips.map((c: any) => c.durationSeconds as number);
    const expected = durations.reduce((a: number, b: number) => a + b, 0) + GAP * 2;
    const wav = probeChapters(await save('segment.wav'));
    const mp3 = probeChapters(await save('segment.mp3'));
    expect(Math.abs(Number(wav.format.duration) - expected)).toBeLessThan(0.05);
    expect(Math.abs(Number(mp3.format.duration) - expected)).toBeLessThan(0.05);
    let start = 0;
    for (const [i, title] of titles.entries()) {
      for (const probed of [wav, mp3]) {
        expect(probed.chapters[i]?.tags?.title).toBe(title);
        expect(Math.abs(Number(probed.chapters[i]?.start_time) - start)).toBeLessThan(0.05);
      }
      start += durations[i] + GAP;
    }
    expect((await loudness(path.join(dir, 'segment.wav'))).integratedLufs).toBeCloseTo(-16, 0);

    const labels = await readFile(await save('labels.txt'), 'utf8');
    expect(
      labels
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t')[2]),
    ).toEqual(titles);
    const chapters = JSON.parse(await readFile(await save('chapters.json'), 'utf8'));
    expect(chapters.chapters.map((c: any) => c.title)).toEqual(titles);
    const disposition = (await hallo.admin(`${episodePath}/segment.mp3`)).headers;
    expect(disposition.get('location') ?? disposition.get('content-disposition')).toMatch(
      /folge-42_segment\.mp3/,
    );
  }, 90_000);

  it('renders again when the files of a finished render are gone (its job id is still kept)', async () => {
    await hallo.services.episodes.removeSegments(EPISODE);
    expect((await view()).segment.state).toBe('none');
    const { done } = await renderAndWait();
    expect(done.segment.rendered.chapters).toHaveLength(3);
  }, 90_000);

  it('answers a second render from the cache, and a new order makes the segment outdated', async () => {
    const again = await hallo.admin(`${episodePath}/segment`, { method: 'POST' });
    expect(again.status).toBe(200);
    const firstHash = (await again.json()).segment.hash;

    await hallo.admin(
      `${episodePath}/order`,
      json('PUT', { ids: [ids.anna, ids.jorg, ids.safari] }),
    );
    const changed = await view();
    expect(changed.segment).toMatchObject({ state: 'none', outdated: true });
    expect(changed.segment.hash).not.toBe(firstHash);
    const stale = await hallo.admin(`${episodePath}/segment.mp3`);
    expect(stale.status).toBe(409);

    const { done } = await renderAndWait();
    expect(done.segment.rendered.chapters[0].title).toBe('Anna aus Berlin — Wetter');
    // Only the current selection's files are kept.
    const folder = `episodes/${episodeKey(EPISODE)}/segments/`;
    const kept = (await hallo.objectKeys()).filter((k) => k.startsWith(folder));
    expect(kept.sort()).toEqual(
      ['chapters.json', 'labels.txt', 'segment.mp3', 'segment.wav']
        .map((f) => `${folder}${done.segment.hash}/${f}`)
        .sort(),
    );
  }, 90_000);

  it("puts the owner's jingles before, between and after the clips, chapters still on the clips", async () => {
    const put = async (slot: string, file: string) => {
      const form = new FormData();
      form.append('audio', await openAsBlob(fixture(file)), file);
      return hallo.admin(`/api/admin/jingles/${slot}`, { method: 'PUT', body: form });
    };
    // Silence is refused like any upload and leaves nothing behind.
    const silent = await put('intro', 'silent.webm');
    expect([silent.status, (await silent.json()).error.code]).toEqual([422, 'AUDIO_SILENT']);
    expect((await hallo.objectKeys()).filter((k) => k.startsWith('jingles/'))).toEqual([]);
    expect((await put('overture', 'tone-burst.wav')).status).toBe(404);
    for (const [slot, file] of [
      ['intro', 'tone-burst.wav'],
      ['between', 'loud.wav'],
    ] as const)
      expect((await put(slot, file)).status).toBe(200);

    const before = await view();
    expect(before.segment).toMatchObject({ state: 'none', outdated: true });
    const { done } = await renderAndWait();
    const intro = done.jingles.intro.durationSeconds as number;
    const between = done.jingles.between.durationSeconds as number;
    expect(done.jingles.outro).toBeUndefined();
    const durations = done.clips.map((c: any) => c.durationSeconds as number);
    // intro, gap, clip, gap, between, gap, clip, gap, between, gap, clip
    const starts = [intro + GAP];
    for (const d of durations.slice(0, -1)) starts.push(starts.at(-1)! + d + GAP + between + GAP);
    const expected = starts.at(-1)! + durations.at(-1)!;
    for (const file of ['segment.wav', 'segment.mp3']) {
      const probed = probeChapters(await save(file));
      expect(Math.abs(Number(probed.format.duration) - expected)).toBeLessThan(0.05);
      expect(probed.chapters.map((c) => c.tags?.title)).toEqual(
        done.clips.map((c: any) => c.title),
      );
      probed.chapters.forEach((c, i) =>
        expect(Math.abs(Number(c.start_time) - starts[i]!)).toBeLessThan(0.05),
      );
    }
    // The jingle is levelled like a clip.
    const jingle = await follow('/api/admin/jingles/between/audio');
    expect(jingle.status).toBe(200);
    const jingleFile = path.join(dir, 'between.mp3');
    await writeFile(jingleFile, Buffer.from(await jingle.arrayBuffer()));
    expect((await loudness(jingleFile)).integratedLufs).toBeCloseTo(-16, 0);

    const removed = await hallo.admin('/api/admin/jingles/between', { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await view()).segment).toMatchObject({ state: 'none', outdated: true });
  }, 90_000);

  it('erasing a clip deletes every segment that held it and takes it out of the order', async () => {
    const erased = await hallo.admin(`/api/admin/submissions/${ids.jorg}`, { method: 'DELETE' });
    expect(erased.status).toBe(200);
    expect((await erased.json()).erased.segmentsRemoved).toBe(1);
    const folder = `episodes/${episodeKey(EPISODE)}/`;
    const left = (await hallo.objectKeys()).filter((k) => k.startsWith(folder));
    expect(left).toEqual([`${folder}order.json`]);
    const order = await hallo.services.episodes.readOrder(EPISODE);
    expect(order?.ids).toEqual([ids.anna, ids.safari]);
    const after = await view();
    expect(after.clips.map((c: any) => c.id)).toEqual([ids.anna, ids.safari]);
    expect(after.segment.state).toBe('none');
    expect(after.segment.outdated).toBeUndefined();
  });

  it('refuses bad episodes, orders and file names with a clear code', async () => {
    const cases: [string, RequestInit | undefined, number, string][] = [
      ['/api/admin/episodes/..%2F..', undefined, 404, 'NOT_FOUND'],
      [`${episodePath}/secret.txt`, undefined, 404, 'NOT_FOUND'],
      [`${episodePath}/order`, json('PUT', { ids: ['nope'] }), 400, 'INVALID_BODY'],
      [`${episodePath}/order`, json('PUT', { ids: [ids.anna, ids.anna] }), 400, 'INVALID_BODY'],
      [`${episodePath}/order`, json('PUT', { ids: [], more: 1 }), 400, 'INVALID_BODY'],
      ['/api/admin/episodes/Folge%2099/segment', { method: 'POST' }, 404, 'BUNDLE_EMPTY'],
    ];
    for (const [url, init, status, code] of cases) {
      const response = await hallo.admin(url, init);
      expect([url, response.status, (await response.json()).error?.code]).toEqual([
        url,
        status,
        code,
      ]);
    }
    const anonymous = await fetch(`${hallo.url}${episodePath}`);
    expect(anonymous.status).toBe(401);
    expect(hallo.tempFiles()).toEqual([]);
  });
});
