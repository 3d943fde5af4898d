import { execSync } from 'node:child_process';
import { startS3Server } from '../support/s3-server';
import { Cluster } from './support/cluster';
import { ffmpegStandIn } from '../support/ffmpeg-stand-in';

jest.setTimeout(120_000);

describe('resilience: S3 away during uploads, an ffmpeg that hangs', () => {
  let cluster: Cluster;
  afterEach(() => cluster?.stop());

  it('answers 503 quickly while S3 is down, keeps nothing partial, and a retry with the same key succeeds once', async () => {
    cluster = await Cluster.start();
    await cluster.startApi();
    await cluster.startWorker();
    const port = Number(new URL(cluster.s3.endpoint).port);
    await cluster.s3.stop();

    const during = await Promise.all(
      [0, 1, 2].map((i) =>
        cluster.upload(
          'chrome.webm',
          { name: `Outage ${i}` },
          { idempotencyKey: `outage-key-${i}` },
        ),
      ),
    );
    for (const answer of during) {
      expect([answer.status, answer.body.error.code]).toEqual([503, 'STORAGE_UNAVAILABLE']);
      expect(answer.ms).toBeLessThan(10_000);
    }
    expect(await cluster.tempFilesSettled()).toEqual([]);

    cluster.s3 = await startS3Server(['hallo'], { port }); // back, on the same address
    const retried = await Promise.all(
      [0, 1, 2].map((i) =>
        cluster.upload(
          'chrome.webm',
          { name: `Outage ${i}` },
          { idempotencyKey: `outage-key-${i}` },
        ),
      ),
    );
    expect(retried.map((r) => r.status)).toEqual([201, 201, 201]);
    // The same retry once more is the same submission, not a second one.
    const again = await cluster.upload(
      'chrome.webm',
      { name: 'Outage 0' },
      { idempotencyKey: 'outage-key-0' },
    );
    expect([again.status, again.body.id]).toEqual([200, retried[0]!.body.id]);
    const ids = retried.map((r) => r.body.id as string);
    await cluster.waitFor(ids, ['ready'], 60_000);
    const counts = await cluster.settledReadyCounts(ids);
    expect(ids.map((id) => counts.get(id))).toEqual([1, 1, 1]);
    // Nothing but these three submissions' objects in the bucket.
    const list = await (
      await fetch(`${cluster.apis[0]!.url}/api/admin/submissions?limit=50`, {
        headers: { authorization: 'Bearer resilience-admin-token-0123' },
      })
    ).json();
    expect(list.items).toHaveLength(3);
  });

  it('kills an ffmpeg that hangs, retries, then marks the submission failed with a readable reason', async () => {
    cluster = await Cluster.start({
      FFMPEG_PATH: ffmpegStandIn('exec sleep 600'),
      FFMPEG_TIMEOUT_SECONDS: '2',
      JOB_ATTEMPTS: '2',
    });
    await cluster.startApi();
    await cluster.startWorker();
    const sent = await cluster.upload('speech.mp3', { name: 'Hanging ffmpeg' });
    expect(sent.status).toBe(201);
    const [failed] = await cluster.waitFor([sent.body.id], ['failed'], 60_000);
    expect(failed.processing.error).toBe(
      'Processing took too long and was stopped (ffmpeg timeout).',
    );
    expect(await cluster.tempFilesSettled()).toEqual([]);
    // No sleep of ours is left running: the whole process group was killed.
    expect(execSync('pgrep -f "^sleep 600$" || true').toString().trim()).toBe('');
  });
});
