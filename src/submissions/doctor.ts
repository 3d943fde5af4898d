import type { JobQueues } from '../queue/job-queues';
import { checkReplies, type ReplyDoctorReport } from '../replies/reply-doctor';
import type { ReplyDocuments } from '../replies/reply-documents';
import { jobId, LIVE_JOB_STATES } from '../queue/jobs';
import type { BlobStore } from '../storage/blob-store';
import { keys, SUBMISSIONS_PREFIX } from '../storage/keys';
import type { Config } from '../config';
import { checkTranscripts, type TranscriptDoctorReport } from '../transcripts/transcript-doctor';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

export interface DoctorReport extends ReplyDoctorReport, TranscriptDoctorReport {
  /** Submissions with objects in storage but no listener document (left by a crash mid-erasure). */
  orphanObjects: string[];
  /** Index entries whose submission is gone from storage. */
  indexWithoutDocuments: string[];
  /** Stored submissions the index does not list. */
  documentsWithoutIndex: string[];
  /** Queued or processing in storage, but with no job waiting, delayed or running for them. */
  stuck: string[];
  fixed: boolean;
}

export interface DoctorDeps {
  config: Config;
  store: BlobStore;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  queues: JobQueues;
  replies: ReplyDocuments;
}

const ID_OF_KEY = /^submissions\/([0-9A-Z]{26})\//;

/**
 * `hallo doctor`: compares storage (the truth), the Redis index and the queue, and reports every
 * inconsistency; with fix, repairs each (delete orphans, drop or add index entries, queue stuck
 * work again). A full scan of storage: for the operator, not for a hot path.
 */
export async function runDoctor(deps: DoctorDeps, fix: boolean): Promise<DoctorReport> {
  const withObjects = new Set<string>();
  for await (const key of deps.store.list(SUBMISSIONS_PREFIX)) {
    const id = ID_OF_KEY.exec(key)?.[1];
    if (id) withObjects.add(id);
  }
  const stored = new Set<string>();
  for await (const id of deps.documents.allIds()) stored.add(id);
  const indexed = new Set(await deps.index.allIds());
  const transcode = deps.queues.queue('transcode');

  const report: DoctorReport = {
    orphanObjects: [...withObjects].filter((id) => !stored.has(id)),
    indexWithoutDocuments: [...indexed].filter((id) => !stored.has(id)),
    documentsWithoutIndex: [...stored].filter((id) => !indexed.has(id)),
    stuck: [],
    ...(await checkReplies(deps, stored, fix)),
    ...(await checkTranscripts(deps, stored, fix)),
    fixed: fix,
  };
  for (const id of stored) {
    const processing = await deps.documents.readProcessing(id);
    if (processing?.state === 'ready' || processing?.state === 'failed') continue;
    const job = await transcode.getJob(jobId.transcode({ submissionId: id }));
    const state = job ? await job.getState() : 'missing';
    if (!LIVE_JOB_STATES.includes(state)) {
      report.stuck.push(id);
    }
  }
  if (!fix) return report;
  for (const id of report.orphanObjects) await deps.store.deletePrefix(keys.submissionPrefix(id));
  for (const id of report.indexWithoutDocuments) await deps.index.remove(id);
  for (const id of report.documentsWithoutIndex) {
    const submission = await deps.documents.read(id);
    if (submission) await deps.index.put(submission);
  }
  for (const id of report.stuck) await deps.queues.requeue('transcode', { submissionId: id });
  return report;
}
