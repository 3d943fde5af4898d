import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

/** Rebuilds the Redis index from the blob store alone (`hallo reindex`). */
export async function rebuildIndex(
  documents: SubmissionDocuments,
  index: SubmissionIndex,
): Promise<{ indexed: number }> {
  await index.clear();
  let indexed = 0;
  for await (const id of documents.allIds()) {
    const submission = await documents.read(id);
    if (!submission) continue;
    await index.put(submission);
    indexed += 1;
  }
  return { indexed };
}
