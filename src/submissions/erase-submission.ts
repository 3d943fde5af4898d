import type { Config } from '../config';
import type { EpisodeDocuments } from '../episodes/episode-documents';
import { forgetClipInEpisodes } from '../episodes/forget-clip';
import { announce, type AnnounceDeps } from '../notifications/announce';
import type { JobQueues } from '../queue/job-queues';
import { eraseReplyObjects } from '../replies/create-reply';
import type { ReplyDocuments } from '../replies/reply-documents';
import type { LinkOutbox } from '../replies/reply-link';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';
import { threadOf } from './thread';

export interface ErasureDeps extends AnnounceDeps {
  documents: SubmissionDocuments;
  replies: ReplyDocuments;
  outbox: LinkOutbox;
  index: SubmissionIndex;
  queues: JobQueues;
  episodes: EpisodeDocuments;
  config: AnnounceDeps['config'] & Pick<Config, 'GHOST_URL'>;
}

export interface ErasureReport {
  id: string;
  /** Objects deleted from storage: documents, original, clips, peaks, replies and their links. */
  objectsDeleted: number;
  indexEntryRemoved: boolean;
  /** A waiting job was removed; a running one finds the submission gone and cleans up after itself. */
  queuedJobRemoved: boolean;
  /** Rendered episode segments that held the clip, deleted with it. */
  segmentsRemoved: number;
  /** Episodes whose Ghost draft showed the clip: sent again without it. */
  draftsResent?: string[];
  /** The other messages of its conversation (the first message and the listener's answers), erased with it. */
  threadErased?: string[];
}

/**
 * GDPR erasure of a message and its whole conversation: the first message, the team's replies
 * (their links stop working), the listener's answers; every object, index entry and queued job.
 */
export async function eraseSubmission(deps: ErasureDeps, id: string): Promise<ErasureReport> {
  const listener = await deps.documents.readListener(id);
  const rootId = listener?.inReplyTo?.submissionId ?? id;
  const thread = await threadOf(deps, rootId);
  let replyObjects = 0;
  for (const reply of thread.replies) replyObjects += await eraseReplyObjects(deps, reply);
  const others = [rootId, ...thread.answerIds].filter((other) => other !== id);
  const erasedOthers: string[] = [];
  let othersSegments = 0;
  for (const other of others) {
    const erased = await eraseOne(deps, other);
    othersSegments += erased.segmentsRemoved;
    if (erased.objectsDeleted > 0) erasedOthers.push(other);
  }
  const report = await eraseOne(deps, id);
  return {
    ...report,
    objectsDeleted: report.objectsDeleted + replyObjects,
    segmentsRemoved: report.segmentsRemoved + othersSegments,
    ...(erasedOthers.length > 0 && { threadErased: erasedOthers }),
  };
}

async function eraseOne(deps: ErasureDeps, id: string): Promise<ErasureReport> {
  const renderRemoved = await deps.queues.remove('transcode', { submissionId: id });
  const transcribeRemoved = await deps.queues.remove('transcribe', { submissionId: id });
  const queuedJobRemoved = renderRemoved || transcribeRemoved;
  const objectsDeleted = await deps.documents.erase(id);
  const indexEntryRemoved = await deps.index.has(id);
  await deps.index.remove(id);
  const { segmentsRemoved, draftsToResend } = await forgetClipInEpisodes(deps.episodes, id);
  // The clip's card leaves the newsletter draft: the draft is sent again without it.
  if (deps.config.GHOST_URL)
    for (const episode of draftsToResend) await deps.queues.add('newsletter', { episode });
  if (objectsDeleted > 0 || indexEntryRemoved) await announce(deps, 'submission.deleted', id);
  return {
    id,
    objectsDeleted,
    indexEntryRemoved,
    queuedJobRemoved,
    segmentsRemoved,
    ...(draftsToResend.length > 0 && { draftsResent: draftsToResend }),
  };
}

/** Erases every submission sent with this e-mail address (found through the index). */
export async function eraseByEmail(deps: ErasureDeps, email: string): Promise<ErasureReport[]> {
  const reports: ErasureReport[] = [];
  const done = new Set<string>();
  for (const id of await deps.index.idsByEmail(email)) {
    if (done.has(id)) continue;
    const report = await eraseSubmission(deps, id);
    for (const erased of [id, ...(report.threadErased ?? [])]) done.add(erased);
    reports.push(report);
  }
  return reports;
}
