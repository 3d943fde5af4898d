import { startHousekeeping } from '../../src/queue/housekeeping';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('worker housekeeping (worker stopped, so queued work stays queued)', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      env: { RECONCILE_INTERVAL_SECONDS: '1' },
    });
  });
  afterAll(() => hallo?.stop());

  it('restores queue and index from storage when Redis loses its data while connected', async () => {
    const sent = await hallo.upload({
      audio: { path: fixture('speech.mp3') },
      fields: validFields,
    });
    const id: string = sent.body.id;
    const { services } = hallo;
    const housekeeping = startHousekeeping(services);
    try {
      const job = () => services.queues.queue('transcode').getJob(`transcode-${id}`);
      // Wait for the start-up run to finish (it sets the marker last), then lose every key, as a
      // FLUSHALL would.
      for (let i = 0; i < 50 && !(await hallo.redisKeys('housekeeping:*')).length; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const keys = await hallo.redisKeys();
      await services.redis.del(...keys);
      expect(await services.index.has(id)).toBe(false);
      expect(await job()).toBeUndefined();

      // Within one check interval it notices and reconciles: indexed, queued and scheduled again
      // (the marker comes back once the whole run is done).
      for (let i = 0; i < 60 && !(await hallo.redisKeys('housekeeping:*')).length; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await services.index.has(id)).toBe(true);
      expect(await (await job())?.getState()).toBe('waiting');
      const schedulers = await services.queues.queue('maintenance').getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toContain('retention');
    } finally {
      housekeeping.stop();
    }
  });
});
