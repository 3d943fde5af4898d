import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { monotonicFactory } from 'ulid';
import { DiskBlobStore } from '../../src/storage/disk-blob-store';
import { rebuildIndex } from '../../src/submissions/rebuild-index';
import { assembleSubmission } from '../../src/submissions/submission';
import { SubmissionDocuments } from '../../src/submissions/submission-documents';
import { SubmissionIndex } from '../../src/submissions/submission-index';
import { listenerDocument } from '../support/listener-document';
import { REDIS_URL } from '../support/redis-url';

const nextId = monotonicFactory();

const listenerDoc = (id: string, n: number) =>
  listenerDocument(id, { name: `Hörer ${n}`, message: `Nachricht ${n}`, durationSeconds: n });

describe('SubmissionIndex (real Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `hallo-test-${randomBytes(4).toString('hex')}`;
  const index = new SubmissionIndex(redis, prefix);
  const ids: string[] = [];

  beforeAll(async () => {
    for (let n = 0; n < 25; n++) {
      const id = nextId();
      ids.push(id);
      await index.put(assembleSubmission(listenerDoc(id, n), undefined, undefined));
    }
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('pages newest first with a cursor and no overlap', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await index.list({ limit: 10, ...(cursor && { cursor }) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('moves a submission between state sets as its writers update it', async () => {
    const id = ids[3] as string;
    await index.setProcessing(id, 'ready', { durationSeconds: 12.5, peaksPreview: [0.1, 0.9] });
    await index.setReview(id, { state: 'approved', starred: false });
    const readyApproved = await index.list({ limit: 50, processing: 'ready', review: 'approved' });
    expect(readyApproved.items).toEqual([
      expect.objectContaining({
        id,
        processing: 'ready',
        review: 'approved',
        durationSeconds: 12.5,
        peaksPreview: [0.1, 0.9],
      }),
    ]);
    expect(
      (await index.list({ limit: 50, processing: 'queued' })).items.map((i) => i.id),
    ).not.toContain(id);
    expect(await index.count('queued')).toBe(24);
    expect(await index.count(undefined, 'new')).toBe(24);
  });

  it('keeps both fields when the worker and a reviewer update at the same moment', async () => {
    const targets = ids.slice(5, 15);
    await Promise.all(
      targets.flatMap((id) => [
        index.setProcessing(id, 'ready'),
        index.setReview(id, { state: 'rejected', starred: false }),
      ]),
    );
    const page = await index.list({ limit: 50, processing: 'ready', review: 'rejected' });
    expect(page.items.map((i) => i.id).sort()).toEqual([...targets].sort());
  });

  it('ignores a state update for a submission it does not hold', async () => {
    expect(await index.setProcessing(nextId(), 'ready')).toBe(false);
    expect(await index.count()).toBe(25);
  });

  it('removes a submission from every set', async () => {
    const id = ids[3] as string;
    await index.remove(id);
    expect(await index.has(id)).toBe(false);
    expect((await index.list({ limit: 100 })).items.map((i) => i.id)).not.toContain(id);
    expect(await index.count('ready', 'approved')).toBe(0);
  });
});

describe('rebuildIndex', () => {
  it('rebuilds the listing from the blob store alone', async () => {
    const redis = new Redis(REDIS_URL);
    const prefix = `hallo-test-${randomBytes(4).toString('hex')}`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-reindex-'));
    try {
      const documents = new SubmissionDocuments(new DiskBlobStore(dir));
      const index = new SubmissionIndex(redis, prefix);
      const made: string[] = [];
      for (let n = 0; n < 5; n++) {
        const id = nextId();
        made.push(id);
        await documents.writeListener(listenerDoc(id, n));
      }
      await documents.writeProcessing(made[1] as string, {
        state: 'failed',
        attempt: 3,
        updatedAt: new Date().toISOString(),
        error: 'x',
      });
      await documents.writeReview(made[2] as string, {
        state: 'approved',
        starred: true,
        episode: 'Folge 12',
        updatedAt: new Date().toISOString(),
      });
      await redis.set(`${prefix}:idx:stale`, 'x');

      expect(await rebuildIndex(documents, index)).toEqual({ indexed: 5 });
      expect((await index.list({ limit: 10 })).items.map((i) => i.id)).toEqual([...made].reverse());
      expect(
        (await index.list({ limit: 10, processing: 'failed' })).items.map((i) => i.id),
      ).toEqual([made[1]]);
      expect((await index.list({ limit: 10, review: 'approved' })).items.map((i) => i.id)).toEqual([
        made[2],
      ]);
      // Tags come back from the review document too.
      const tagged = await index.list({ limit: 10, episode: 'Folge 12', starred: true });
      expect(tagged.items.map((i) => [i.id, i.episode, i.starred])).toEqual([
        [made[2], 'Folge 12', true],
      ]);
      expect(await redis.exists(`${prefix}:idx:stale`)).toBe(0);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
