import { Router, type Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { Config } from '../../config';
import type { JobQueues } from '../../queue/job-queues';
import { isSubmissionId } from '../../storage/keys';
import type { SubmissionDocuments } from '../../submissions/submission-documents';
import type { SubmissionIndex } from '../../submissions/submission-index';
import { transcriptView } from '../../transcripts/transcript';
import { principalOf } from '../middleware/authenticate';
import { jsonBody } from '../middleware/json-body';
import { parseBody } from '../middleware/validate';

/** A five-minute message is about 800 words; this leaves room for any correction. */
export const MAX_TRANSCRIPT_CHARS = 20_000;

const editSchema = z.object({ text: z.string().max(MAX_TRANSCRIPT_CHARS) }).strict();

export interface AdminTranscriptsDeps {
  config: Config;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  queues: JobQueues;
}

/**
 * A message's transcript: read it with its segments, correct it (kept beside the machine's
 * version), have it made again. Mounted under /api/admin/submissions, behind authenticate.
 */
export function adminTranscriptsRouter(deps: AdminTranscriptsDeps): Router {
  const router = Router();
  const enabled = deps.config.TRANSCRIBE === 'on';
  router.param('id', (_req, _res, next, id: string) =>
    next(isSubmissionId(id) ? undefined : new AppError('NOT_FOUND')),
  );

  router.get('/:id/transcript', async (req: Request<{ id: string }>, res) => {
    const id = req.params.id;
    const [listener, doc, edit] = await Promise.all([
      deps.documents.readListener(id),
      deps.documents.readTranscript(id),
      deps.documents.readTranscriptEdit(id),
    ]);
    if (!listener) throw new AppError('NOT_FOUND');
    res.json({
      ...transcriptView(enabled, doc, edit),
      segments: doc?.result?.segments ?? [],
      ...(doc?.result && { machineText: doc.result.text }),
      ...(doc?.model && { model: doc.model.name }),
      ...(edit && { editedBy: edit.updatedBy, editedAt: edit.updatedAt }),
    });
  });

  // The team's correction; an empty text goes back to the machine's version.
  router.put('/:id/transcript', jsonBody(), async (req: Request<{ id: string }>, res) => {
    const id = req.params.id;
    const { text } = parseBody(editSchema, req.body);
    if (!(await deps.documents.readListener(id))) throw new AppError('NOT_FOUND');
    const trimmed = text.trim();
    const edit = trimmed
      ? { text: trimmed, updatedAt: new Date().toISOString(), updatedBy: principalOf(res).name }
      : undefined;
    if (edit) await deps.documents.writeTranscriptEdit(id, edit);
    else await deps.documents.deleteTranscriptEdit(id);
    const doc = await deps.documents.readTranscript(id);
    const view = transcriptView(enabled, doc, edit);
    await deps.index.setTranscript(id, view);
    res.json(view);
  });

  // Transcribe again: after a model was installed, a failure, or with a better model.
  router.post('/:id/transcribe', async (req: Request<{ id: string }>, res) => {
    if (!enabled) throw new AppError('TRANSCRIPTS_OFF');
    const id = req.params.id;
    const submission = await deps.documents.read(id);
    if (!submission) throw new AppError('NOT_FOUND');
    if (submission.processing.state !== 'ready') throw new AppError('NOT_READY');
    await deps.queues.requeue('transcribe', { submissionId: id, again: true });
    res.status(202).json({ state: 'queued' });
  });

  return router;
}
