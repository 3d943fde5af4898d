import { Cluster } from './support/cluster';
import { killHard } from './support/hallo-process';
import { startRedisServer } from './support/redis-process';
import { ffmpegStandIn } from '../support/ffmpeg-stand-in';

jest.setTimeout(120_000);

// Real processes: an API, workers, a redis-server of our own, the S3 test server.
describe('resilience: a worker killed mid-transcode, Redis lost and restarted empty', () => {
  let cluster: Cluster;
  afterEach(() => cluster?.stop());

  it('picks up the job of a worker killed with SIGKILL in the middle of a transcode', async () => {
    cluster = await Cluster.start({ FFMPEG_PATH: ffmpegStandIn('sleep 3') });
    await cluster.startApi();
    const first = await cluster.startWorker();
    const sent = await cluster.upload('chrome.webm', { name: 'Killed Mid-Render' });
    expect(sent.status).toBe(201);
    await cluster.waitFor([sent.body.id], ['processing'], 20_000);
    await new Promise((r) => setTimeout(r, 500)); // inside the render now
    await killHard(first.process);

    await cluster.startWorker();
    const [done] = await cluster.waitFor([sent.body.id], ['ready'], 60_000);
    expect(done.processing.outputLoudness.integratedLufs).toBeCloseTo(-16, 0);
    expect((await cluster.settledReadyCounts([sent.body.id])).get(sent.body.id)).toBe(1);
    // The new worker's temp folder is empty. The killed one's files stay until a start sweeps
    // them after an hour (younger ones could belong to a live process sharing the folder).
    expect(await cluster.tempFilesSettled((f) => !f.startsWith(first.tempDir))).toEqual([]);
  });

  it('brings every accepted submission back after Redis is killed and restarted empty', async () => {
    cluster = await Cluster.start({ FFMPEG_PATH: ffmpegStandIn('sleep 1') });
    await cluster.startApi();
    await cluster.startWorker();
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const sent = await cluster.upload('speech.mp3', { name: `Before ${i}` });
      expect(sent.status).toBe(201);
      ids.push(sent.body.id);
    }
    // Mid-run: some are done, some are queued or rendering.
    await cluster.waitFor(ids.slice(0, 1), ['ready'], 30_000);
    const port = cluster.redis.port;
    await cluster.redis.kill();

    // While Redis is away, the API refuses clearly instead of hanging.
    const refused = await cluster.upload('speech.mp3', { name: 'During the outage' });
    expect([refused.status, refused.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);

    cluster.redis = await startRedisServer(port); // empty: queue, index and schedules are gone
    // Back: new uploads work, and the workers' reconciler restores everything from storage.
    const after = await cluster.upload('speech.mp3', { name: 'After' });
    expect(after.status).toBe(201);
    ids.push(after.body.id);
    const all = await cluster.waitFor(ids, ['ready'], 90_000);
    expect(all.map((s) => s.processing.state)).toEqual(ids.map(() => 'ready'));
    const counts = await cluster.settledReadyCounts(ids);
    expect(ids.map((id) => counts.get(id))).toEqual(ids.map(() => 1));
    // The index is whole again: the list shows every one of them.
    const list = await (
      await fetch(`${cluster.apis[0]!.url}/api/admin/submissions?limit=50`, {
        headers: { authorization: 'Bearer resilience-admin-token-0123' },
      })
    ).json();
    expect(list.items.map((i: { id: string }) => i.id).sort()).toEqual([...ids].sort());
  });
});
