import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileUrl, safetyArgs } from '../audio/ffmpeg-args';
import { runProcess } from '../audio/run-process';
import type { Chapter, SegmentLayout } from './segment-layout';

/**
 * The segment's MP3, joined from the clips' own MP3 frames (no second encode: fast, and no
 * further loss), with ID3v2 chapters (CHAP and CTOC frames, written by ffmpeg's MP3 muxer).
 */

/** One MPEG-1 Layer III frame of digital silence: 48 kHz, mono, 32 kbit/s, 1152 samples. */
const SILENT_FRAME = Buffer.concat([Buffer.from([0xff, 0xfb, 0x14, 0xc0]), Buffer.alloc(92)]);
/** An empty ID3v2.4 tag in front: ffmpeg then knows the file as MP3 at once. */
const EMPTY_ID3 = Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1');
export const SAMPLES_PER_MP3_FRAME = 1152;

export function silenceMp3(frames: number): Buffer {
  return Buffer.concat([EMPTY_ID3, ...Array.from({ length: frames }, () => SILENT_FRAME)]);
}

const quoted = (p: string): string => `'${fileUrl(p).replace(/'/g, "'\\''")}'`;

/**
 * ffmpeg's concat list: each clip whole, each pause as the first frames of one silence file
 * (an outpoint cuts on frame boundaries when copying, so a pause of one frame works too).
 */
export function concatList(
  layout: SegmentLayout,
  partPaths: readonly string[],
  silencePath: string,
  sampleRate: number,
): string {
  const lines = ['ffconcat version 1.0'];
  for (const piece of layout.mp3) {
    if ('part' in piece) {
      lines.push(`file ${quoted(partPaths[piece.part]!)}`);
    } else {
      const seconds = (piece.silentFrames * SAMPLES_PER_MP3_FRAME) / sampleRate;
      lines.push(`file ${quoted(silencePath)}`, `outpoint ${seconds.toFixed(6)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** ffmetadata escapes '=', ';', '#', '\' and line breaks with a backslash. */
const escapeMeta = (s: string): string =>
  s.replace(/(?![\n\r])\p{Cc}/gu, '').replace(/[=;#\\\n\r]/g, (c) => `\\${c}`);

export function chapterMetadata(chapters: readonly Chapter[], title: string): string {
  const lines = [';FFMETADATA1', `title=${escapeMeta(title)}`];
  for (const chapter of chapters) {
    lines.push(
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      `START=${Math.round(chapter.startSeconds * 1000)}`,
      `END=${Math.round(chapter.endSeconds * 1000)}`,
      `title=${escapeMeta(chapter.title)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function mp3SegmentArgs(listPath: string, metadataPath: string, target: string): string[] {
  return [
    ...safetyArgs('file'),
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    fileUrl(listPath),
    '-f',
    'ffmetadata',
    '-i',
    fileUrl(metadataPath),
    '-map',
    '0:a:0',
    '-map_metadata',
    '1',
    '-map_chapters',
    '1',
    '-c',
    'copy',
    '-id3v2_version',
    '3',
    '-f',
    'mp3',
    '-y',
    fileUrl(target),
  ];
}

export interface Mp3SegmentOptions {
  ffmpegPath: string;
  timeoutMs: number;
  signal?: AbortSignal;
  sampleRate: number;
  title: string;
}

export async function writeMp3Segment(
  layout: SegmentLayout,
  partPaths: readonly string[],
  workDir: string,
  target: string,
  options: Mp3SegmentOptions,
): Promise<void> {
  const longestPause = Math.max(
    0,
    ...layout.mp3.map((piece) => ('silentFrames' in piece ? piece.silentFrames : 0)),
  );
  const silencePath = path.join(workDir, 'silence.mp3');
  const listPath = path.join(workDir, 'segment.ffconcat');
  const metadataPath = path.join(workDir, 'chapters.ffmeta');
  // Two frames more than needed: ffmpeg wants a frame after the one it reads to trust the file.
  await writeFile(silencePath, silenceMp3(longestPause + 2));
  await writeFile(listPath, concatList(layout, partPaths, silencePath, options.sampleRate));
  await writeFile(metadataPath, chapterMetadata(layout.chapters, options.title));
  const result = await runProcess(
    options.ffmpegPath,
    mp3SegmentArgs(listPath, metadataPath, target),
    {
      timeoutMs: options.timeoutMs,
      ...(options.signal && { signal: options.signal }),
    },
  );
  if (result.exitCode !== 0)
    throw new Error(`ffmpeg could not join the segment's MP3: ${result.stderrTail.slice(-500)}`);
}
