import { downloadToFile } from '../storage/download-to-file';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import type { BlobStore } from '../storage/blob-store';
import { keys, type JingleSlot, type SegmentFile } from '../storage/keys';
import { chapterTitle } from './chapter-title';
import type { SegmentDocument } from './episode';
import { episodeClips, segmentHash, type EpisodeClipsDeps } from './episode-clips';
import type { Jingles } from './jingles';
import { renderSegment, type SegmentInput } from './render-segment';
import { SEGMENT_WAV } from './write-wav-segment';

export interface SegmentJobDeps extends EpisodeClipsDeps {
  config: Config;
  store: BlobStore;
  jingles: Jingles;
  tempDir: string;
}

export type SegmentOutcome = 'rendered' | 'already-done' | 'outdated' | 'clip-gone';

export const SEGMENT_CONTENT_TYPES: Record<SegmentFile, string> = {
  'segment.wav': 'audio/wav',
  'segment.mp3': 'audio/mpeg',
  'labels.txt': 'text/plain; charset=utf-8',
  'chapters.json': 'application/json+chapters',
};

/**
 * The segment job: fetches the episode's rendered clips (one file at a time to disk, so memory
 * does not grow with the episode), joins them and stores the four files under the selection's
 * hash. A job whose selection changed since it was queued does nothing: a newer job renders that.
 */
export async function buildSegment(
  deps: SegmentJobDeps,
  episode: string,
  hash: string,
  progress: (percent: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<SegmentOutcome> {
  const [clips, jingles] = await Promise.all([episodeClips(deps, episode), deps.jingles.all()]);
  const gapSeconds = deps.config.SEGMENT_GAP_SECONDS;
  if (clips.length === 0 || segmentHash(clips, gapSeconds, jingles) !== hash) return 'outdated';
  if ((await deps.episodes.readSegment(episode))?.hash === hash) return 'already-done';

  const workDir = await mkdtemp(path.join(deps.tempDir, 'segment-'));
  try {
    const fetchPart = async (name: string, wavKey: string, mp3Key: string, title?: string) => {
      const wavPath = path.join(workDir, `${name}.wav`);
      const mp3Path = path.join(workDir, `${name}.mp3`);
      await downloadToFile(deps.store, wavKey, wavPath);
      await downloadToFile(deps.store, mp3Key, mp3Path);
      return { wavPath, mp3Path, ...(title !== undefined && { title }) };
    };
    const jingle = async (slot: JingleSlot) =>
      jingles[slot] &&
      (await fetchPart(slot, keys.jingleClip(slot, 'wav'), keys.jingleClip(slot, 'mp3')));
    const [intro, between, outro] = [
      await jingle('intro'),
      await jingle('between'),
      await jingle('outro'),
    ];
    const inputs: SegmentInput[] = intro ? [intro] : [];
    for (const [i, clip] of clips.entries()) {
      if (i > 0 && between) inputs.push(between);
      inputs.push(
        await fetchPart(
          String(i),
          keys.clip(clip.id, 'wav'),
          keys.clip(clip.id, 'mp3'),
          chapterTitle(clip),
        ),
      );
      await progress(Math.round(((i + 1) / clips.length) * 70));
    }
    if (outro) inputs.push(outro);
    const files = await renderSegment(inputs, workDir, {
      ffmpegPath: deps.config.FFMPEG_PATH,
      timeoutMs: deps.config.FFMPEG_TIMEOUT_SECONDS * 1000,
      gapSeconds,
      title: episode,
      ...(signal && { signal }),
    });
    await progress(85);
    const stored: [SegmentFile, string][] = [
      ['segment.wav', files.wav],
      ['segment.mp3', files.mp3],
      ['labels.txt', files.labels],
      ['chapters.json', files.chapters],
    ];
    for (const [name, file] of stored)
      await deps.store.moveFile(
        keys.segmentFile(episode, hash, name),
        file,
        SEGMENT_CONTENT_TYPES[name],
      );

    const doc: SegmentDocument = {
      episode,
      hash,
      ids: clips.map((c) => c.id),
      gapSeconds,
      renderedAt: new Date().toISOString(),
      durationSeconds: files.layout.totalSamples / SEGMENT_WAV.sampleRate,
      chapters: files.layout.chapters,
    };
    // The old selection's files go before the document says this one is ready: whoever reads
    // "ready" finds only the current files.
    await deps.episodes.removeOtherSegments(episode, hash);
    await deps.episodes.writeSegment(doc);
    // A clip erased while this ran must not live on in the segment. Checked after the document is
    // written: an erasure that started later finds the document and removes it itself.
    const still = await Promise.all(clips.map((c) => deps.documents.readListener(c.id)));
    if (still.some((listener) => listener === undefined)) {
      await deps.episodes.removeSegments(episode);
      return 'clip-gone';
    }
    await progress(100);
    return 'rendered';
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
