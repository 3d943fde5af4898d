import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { countMp3Frames } from '../audio/mp3-frames';
import { audacityLabels, podcastChapters } from './chapter-files';
import { SAMPLES_PER_MP3_FRAME, writeMp3Segment } from './mp3-segment';
import { layoutSegment, type SegmentLayout } from './segment-layout';
import { readClipWav, SEGMENT_WAV, wavSamples, writeWavSegment } from './write-wav-segment';

/** One rendered clip or jingle, as the worker has it on disk. */
export interface SegmentInput {
  wavPath: string;
  mp3Path: string;
  /** Clips have one (their chapter); jingles none. */
  title?: string;
}

export interface SegmentOptions {
  ffmpegPath: string;
  timeoutMs: number;
  signal?: AbortSignal;
  gapSeconds: number;
  /** The MP3's title tag, e.g. the episode. */
  title: string;
}

export interface SegmentFiles {
  wav: string;
  mp3: string;
  labels: string;
  chapters: string;
  layout: SegmentLayout;
}

/**
 * The episode's voice segment from already rendered clips: nothing is analysed or encoded again.
 * The WAV is written sample for sample in Node, the MP3 joined by one ffmpeg run that copies.
 */
export async function renderSegment(
  inputs: readonly SegmentInput[],
  workDir: string,
  options: SegmentOptions,
): Promise<SegmentFiles> {
  const wavs = [];
  const parts = [];
  for (const input of inputs) {
    const wav = await readClipWav(input.wavPath);
    const mp3 = await countMp3Frames(input.mp3Path);
    if (mp3.sampleRate !== SEGMENT_WAV.sampleRate || mp3.samplesPerFrame !== SAMPLES_PER_MP3_FRAME)
      throw new Error(`${input.mp3Path}: not a rendered clip's MP3 (48 kHz MPEG-1)`);
    wavs.push(wav);
    parts.push({
      wavSamples: wavSamples(wav.layout),
      mp3Frames: mp3.frames,
      ...(input.title !== undefined && { title: input.title }),
    });
  }
  const layout = layoutSegment(parts, {
    sampleRate: SEGMENT_WAV.sampleRate,
    samplesPerMp3Frame: SAMPLES_PER_MP3_FRAME,
    gapSeconds: options.gapSeconds,
  });
  const files = {
    wav: path.join(workDir, 'segment.wav'),
    mp3: path.join(workDir, 'segment.mp3'),
    labels: path.join(workDir, 'labels.txt'),
    chapters: path.join(workDir, 'chapters.json'),
  };
  await Promise.all([
    writeWavSegment(layout, wavs, files.wav),
    writeMp3Segment(
      layout,
      inputs.map((i) => i.mp3Path),
      workDir,
      files.mp3,
      {
        ffmpegPath: options.ffmpegPath,
        timeoutMs: options.timeoutMs,
        sampleRate: SEGMENT_WAV.sampleRate,
        title: options.title,
        ...(options.signal && { signal: options.signal }),
      },
    ),
    writeFile(files.labels, audacityLabels(layout.chapters)),
    writeFile(files.chapters, podcastChapters(layout.chapters)),
  ]);
  return { ...files, layout };
}
