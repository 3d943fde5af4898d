import type { Config } from '../config';
import type { JobQueues } from '../queue/job-queues';
import { jobId, LIVE_JOB_STATES } from '../queue/jobs';
import type { SubmissionDocuments } from '../submissions/submission-documents';
import { findModelFile } from './model-file';

export interface TranscriptDoctorReport {
  /** Rendered messages whose transcript is neither made nor failed, with no job for it. */
  stuckTranscripts: string[];
  /** Transcripts that were `unavailable`, now that a model is installed (fix: transcribe them). */
  transcriptsToMake: string[];
}

export interface TranscriptDoctorDeps {
  config: Config;
  documents: SubmissionDocuments;
  queues: JobQueues;
}

/** The transcripts' part of `hallo doctor`, given the messages storage holds. */
export async function checkTranscripts(
  deps: TranscriptDoctorDeps,
  submissionIds: ReadonlySet<string>,
  fix: boolean,
): Promise<TranscriptDoctorReport> {
  const report: TranscriptDoctorReport = { stuckTranscripts: [], transcriptsToMake: [] };
  if (deps.config.TRANSCRIBE === 'off') return report;
  const modelInstalled = (await findModelFile(deps.config)) !== undefined;
  const queue = deps.queues.queue('transcribe');
  for (const id of submissionIds) {
    const processing = await deps.documents.readProcessing(id);
    if (processing?.state !== 'ready') continue;
    const transcript = await deps.documents.readTranscript(id);
    if (transcript?.state === 'unavailable') {
      if (modelInstalled) report.transcriptsToMake.push(id);
      continue;
    }
    if (transcript?.state === 'ready' || transcript?.state === 'failed') continue;
    const job = await queue.getJob(jobId.transcribe({ submissionId: id }));
    const state = job ? await job.getState() : 'missing';
    if (!LIVE_JOB_STATES.includes(state)) report.stuckTranscripts.push(id);
  }
  if (fix) {
    for (const id of report.stuckTranscripts)
      await deps.queues.requeue('transcribe', { submissionId: id });
    for (const id of report.transcriptsToMake)
      await deps.queues.requeue('transcribe', { submissionId: id, again: true });
  }
  return report;
}
