import { announce, type AnnounceDeps } from '../notifications/announce';
import type { JobQueues } from '../queue/job-queues';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

export interface ErasureDeps extends AnnounceDeps {
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  queues: JobQueues;
}

export interface ErasureReport {
  id: string;
  /** Objects deleted from storage: documents, original, clips, peaks. */
  objectsDeleted: number;
  indexEntryRemoved: boolean;
  /** A waiting job was removed; a running one finds the submission gone and cleans up after itself. */
  queuedJobRemoved: boolean;
}

/** GDPR erasure of one submission: every object, the index entries and any queued job. */
export async function eraseSubmission(deps: ErasureDeps, id: string): Promise<ErasureReport> {
  const queuedJobRemoved = await deps.queues.remove('transcode', { submissionId: id });
  const objectsDeleted = await deps.documents.erase(id);
  const indexEntryRemoved = await deps.index.has(id);
  await deps.index.remove(id);
  if (objectsDeleted > 0 || indexEntryRemoved) await announce(deps, 'submission.deleted', id);
  return { id, objectsDeleted, indexEntryRemoved, queuedJobRemoved };
}

/** Erases every submission sent with this e-mail address (found through the index). */
export async function eraseByEmail(deps: ErasureDeps, email: string): Promise<ErasureReport[]> {
  const reports: ErasureReport[] = [];
  for (const id of await deps.index.idsByEmail(email)) {
    reports.push(await eraseSubmission(deps, id));
  }
  return reports;
}
