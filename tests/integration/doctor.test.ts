import { ulid } from 'ulid';
import type { ReplyDocument } from '../../src/replies/reply';
import { linkSha256, newLinkToken } from '../../src/replies/reply-link';
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

  /** A reply as the API stores it (document and link record), with no job queued for it. */
  async function writeReply(submissionId: string): Promise<ReplyDocument> {
    const id = ulid();
    const original = keys.replyOriginal(submissionId, id, 'mp3');
    await hallo.services.store.putBytes(original, Buffer.from('not audio'), 'audio/mpeg');
    const reply: ReplyDocument = {
      schemaVersion: 1,
      id,
      submissionId,
      createdAt: new Date().toISOString(),
      createdBy: 'admin-token',
      locale: 'de',
      linkSha256: linkSha256(newLinkToken()),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      allowAnswer: false,
      showOriginal: false,
      original: {
        key: original,
        container: 'mp3',
        bytes: 9,
        sha256: '0'.repeat(64),
        durationSeconds: 1,
      },
    };
    await hallo.services.replies.writeReply(reply);
    await hallo.services.replies.writeLink(reply.linkSha256, { submissionId, replyId: id });
    return reply;
  }

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
    // A reply whose job was lost, and the link of a reply that is gone.
    const stuckReply = await writeReply(healthy);
    const goneReply = await writeReply(healthy);
    await services.replies.erase(healthy, goneReply.id);
    // The orphan message's reply: its link must go with it.
    const orphanReply = await writeReply(orphan);

    const report = await runDoctor(services, false);
    expect(report).toEqual({
      orphanObjects: [orphan],
      indexWithoutDocuments: [orphan],
      documentsWithoutIndex: [unindexed],
      stuck: [stuck],
      orphanReplyLinks: [`${healthy}/${goneReply.id}`, `${orphan}/${orphanReply.id}`].sort(),
      stuckReplies: [`${healthy}/${stuckReply.id}`],
      stuckTranscripts: [],
      transcriptsToMake: [],
      fixed: false,
    });
    expect(JSON.stringify(report)).not.toContain(goneReply.linkSha256);
    expect(await services.index.has(unindexed)).toBe(false); // only reported

    await runDoctor(services, true);
    expect((await hallo.objectKeys()).filter((k) => k.includes(orphan))).toEqual([]);
    expect(await services.index.has(orphan)).toBe(false);
    expect(await services.index.has(unindexed)).toBe(true);
    const job = await services.queues.queue('transcode').getJob(`transcode-${stuck}`);
    expect(await job?.getState()).toBe('waiting');
    expect(await services.replies.readLink(goneReply.linkSha256)).toBeUndefined();
    expect(await services.replies.readLink(orphanReply.linkSha256)).toBeUndefined();
    expect(await services.replies.readLink(stuckReply.linkSha256)).toBeDefined();
    const replyJob = await services.queues.queue('reply').getJob(`reply-${stuckReply.id}`);
    expect(await replyJob?.getState()).toBe('waiting');
    expect(await runDoctor(services, false)).toEqual({
      orphanObjects: [],
      indexWithoutDocuments: [],
      documentsWithoutIndex: [],
      stuck: [],
      orphanReplyLinks: [],
      stuckReplies: [],
      stuckTranscripts: [],
      transcriptsToMake: [],
      fixed: false,
    });
    expect(await services.index.has(healthy)).toBe(true);
  });
});
