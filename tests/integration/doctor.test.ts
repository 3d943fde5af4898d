import { keys } from '../../src/storage/keys';
import { runDoctor } from '../../src/submissions/doctor';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('hallo doctor (worker stopped, so nothing moves on its own)', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
  });
  afterAll(() => hallo?.stop());

  it('finds orphan objects, stale and missing index entries and stuck work, and repairs them', async () => {
    const send = async (name: string) =>
      (
        await hallo.upload({
          audio: { path: fixture('speech.mp3') },
          fields: { ...validFields, name },
        })
      ).body.id as string;
    const [healthy, orphan, unindexed, stuck] = [
      await send('Healthy'),
      await send('Orphan'),
      await send('Unindexed'),
      await send('Stuck'),
    ];
    const { services } = hallo;
    // A crash mid-erasure: the listener document went, the original stayed.
    await services.store.delete(keys.listener(orphan));
    // A lost index entry, and a lost job.
    await services.index.remove(unindexed);
    await services.queues.remove('transcode', { submissionId: stuck });

    const report = await runDoctor(services, false);
    expect(report).toEqual({
      orphanObjects: [orphan],
      indexWithoutDocuments: [orphan],
      documentsWithoutIndex: [unindexed],
      stuck: [stuck],
      fixed: false,
    });
    expect(await services.index.has(unindexed)).toBe(false); // only reported

    await runDoctor(services, true);
    expect((await hallo.objectKeys()).filter((k) => k.includes(orphan))).toEqual([]);
    expect(await services.index.has(orphan)).toBe(false);
    expect(await services.index.has(unindexed)).toBe(true);
    const job = await services.queues.queue('transcode').getJob(`transcode-${stuck}`);
    expect(await job?.getState()).toBe('waiting');
    expect(await runDoctor(services, false)).toEqual({
      orphanObjects: [],
      indexWithoutDocuments: [],
      documentsWithoutIndex: [],
      stuck: [],
      fixed: false,
    });
    expect(await services.index.has(healthy)).toBe(true);
  });
});
