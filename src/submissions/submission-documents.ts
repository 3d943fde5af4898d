import type { BlobStore } from '../storage/blob-store';
import { JSON_TYPE, readJson } from '../storage/json-documents';
import { keys, SUBMISSIONS_PREFIX, submissionIdOfListenerKey } from '../storage/keys';
import {
  assembleSubmission,
  type ListenerDocument,
  type ProcessingDocument,
  type ReviewDocument,
  type Submission,
} from './submission';
import {
  transcriptView,
  type TranscriptDocument,
  type TranscriptEdit,
} from '../transcripts/transcript';

/**
 * The documents of a submission in the blob store, the source of truth. Each has exactly one kind
 * of writer (API, render worker, transcribe worker, reviewer), so no writer can overwrite another's
 * update.
 */
export class SubmissionDocuments {
  constructor(
    private readonly store: BlobStore,
    /** TRANSCRIBE=on: a missing transcript is still to come, not switched off. */
    private readonly transcriptsEnabled = false,
  ) {}

  readListener(id: string): Promise<ListenerDocument | undefined> {
    return readJson(this.store, keys.listener(id));
  }

  readProcessing(id: string): Promise<ProcessingDocument | undefined> {
    return readJson(this.store, keys.processing(id));
  }

  readReview(id: string): Promise<ReviewDocument | undefined> {
    return readJson(this.store, keys.review(id));
  }

  readTranscript(id: string): Promise<TranscriptDocument | undefined> {
    return readJson(this.store, keys.transcript(id));
  }

  readTranscriptEdit(id: string): Promise<TranscriptEdit | undefined> {
    return readJson(this.store, keys.transcriptEdit(id));
  }

  async writeTranscript(id: string, doc: TranscriptDocument): Promise<void> {
    await this.store.putBytes(keys.transcript(id), JSON.stringify(doc), JSON_TYPE);
  }

  async writeTranscriptEdit(id: string, edit: TranscriptEdit): Promise<void> {
    await this.store.putBytes(keys.transcriptEdit(id), JSON.stringify(edit), JSON_TYPE);
  }

  async deleteTranscriptEdit(id: string): Promise<void> {
    await this.store.delete(keys.transcriptEdit(id));
  }

  async writeListener(doc: ListenerDocument): Promise<void> {
    await this.store.putBytes(keys.listener(doc.id), JSON.stringify(doc), JSON_TYPE);
  }

  async writeProcessing(id: string, doc: ProcessingDocument): Promise<void> {
    await this.store.putBytes(keys.processing(id), JSON.stringify(doc), JSON_TYPE);
  }

  async writeReview(id: string, doc: ReviewDocument): Promise<void> {
    await this.store.putBytes(keys.review(id), JSON.stringify(doc), JSON_TYPE);
  }

  /** The whole submission, or undefined when its listener document is gone. */
  async read(id: string): Promise<Submission | undefined> {
    const [listener, processing, review, transcript, edit] = await Promise.all([
      this.readListener(id),
      this.readProcessing(id),
      this.readReview(id),
      this.readTranscript(id),
      this.readTranscriptEdit(id),
    ]);
    const view = transcriptView(this.transcriptsEnabled, transcript, edit);
    return listener && assembleSubmission(listener, processing, review, view);
  }

  /**
   * Removes every object of the submission: documents, original and derived files. The listener
   * document goes first, so a worker rendering at that moment sees the submission gone.
   */
  async erase(id: string): Promise<number> {
    const hadListener = (await this.store.head(keys.listener(id))) !== undefined;
    if (hadListener) await this.store.delete(keys.listener(id));
    return (hadListener ? 1 : 0) + (await this.store.deletePrefix(keys.submissionPrefix(id)));
  }

  /** Every submission id in the store (a full scan: for reindexing and reconciling only). */
  async *allIds(): AsyncIterable<string> {
    for await (const key of this.store.list(SUBMISSIONS_PREFIX)) {
      const id = submissionIdOfListenerKey(key);
      if (id) yield id;
    }
  }
}
