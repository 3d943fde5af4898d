import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { BlobStore } from '../storage/blob-store';
import { keys } from '../storage/keys';
import { clipsCsv, showNotes, type BundleEntry } from './bundle-documents';
import { clipFilename } from './clip-filename';
import type { Submission } from './submission';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

export type BundleSelection = { episode: string } | { ids: string[] };

export interface Bundle {
  title: string;
  entries: BundleEntry[];
  /** The exact size of the ZIP, known before the first byte (stored entries, known sizes). */
  size: number;
  stream: Readable;
}

/** Only what the team approved (or already used) and the worker finished goes into a bundle. */
export const belongsInBundle = (s: Submission) =>
  s.processing.state === 'ready' && (s.review.state === 'approved' || s.review.state === 'used');

async function collectEntries(
  deps: { documents: SubmissionDocuments; index: SubmissionIndex },
  selection: BundleSelection,
): Promise<BundleEntry[]> {
  const ids = 'ids' in selection ? selection.ids : await deps.index.idsOfEpisode(selection.episode);
  const read = await Promise.all([...new Set(ids)].map((id) => deps.documents.read(id)));
  const chosen = read
    .filter((s): s is Submission => s !== undefined && belongsInBundle(s))
    // The documents decide, not a possibly stale index entry.
    .filter((s) => 'ids' in selection || s.review.episode === selection.episode)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const width = String(chosen.length).length;
  return chosen.map((submission, i) => ({
    position: i + 1,
    filename: `${String(i + 1).padStart(width, '0')}_${clipFilename(submission, 'wav')}`,
    submission,
  }));
}

/**
 * The episode bundle: every chosen clip as WAV, plus clips.csv and show-notes.md, as a ZIP that is
 * streamed from storage clip by clip, never built whole in memory or on disk. Entries are stored
 * (WAV does not deflate), so the size is known up front and the browser can show progress.
 */
export async function buildBundle(
  deps: { store: BlobStore; documents: SubmissionDocuments; index: SubmissionIndex },
  selection: BundleSelection,
  title: string,
): Promise<Bundle | undefined> {
  const entries = await collectEntries(deps, selection);
  if (entries.length === 0) return undefined;
  const sizes = await Promise.all(
    entries.map(async (e) => (await deps.store.head(keys.clip(e.submission.id, 'wav')))?.size),
  );
  const zip = new ZipFile();
  entries.forEach((entry, i) => {
    const size = sizes[i];
    if (size === undefined) throw new Error(`clip of ${entry.submission.id} is missing`);
    const key = keys.clip(entry.submission.id, 'wav');
    const mtime = new Date(entry.submission.receivedAt);
    zip.addReadStreamLazy(entry.filename, { compress: false, size, mtime }, (callback) => {
      deps.store.getStream(key).then(
        (stream) => callback(null, stream),
        (error: unknown) => callback(error, undefined as unknown as Readable),
      );
    });
  });
  zip.addBuffer(Buffer.from(clipsCsv(entries), 'utf8'), 'clips.csv', { compress: false });
  zip.addBuffer(Buffer.from(showNotes(title, entries), 'utf8'), 'show-notes.md', {
    compress: false,
  });
  // yazl passes the total size (-1 when unknown); @types/yazl declares the callback without it.
  const size = await new Promise<number>((resolve) =>
    zip.end(undefined, resolve as unknown as () => void),
  );
  if (size < 0) throw new Error('bundle size unknown');
  return { title, entries, size, stream: zip.outputStream as Readable };
}
