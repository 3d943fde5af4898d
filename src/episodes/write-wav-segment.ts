import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { readWavHeader, type PcmLayout } from '../audio/wav-header';
import type { SegmentLayout } from './segment-layout';
import { cueChunks } from './wav-cues';

/** The segment's WAV: 48 kHz, 24 bit, mono, like every rendered clip. */
export const SEGMENT_WAV = { sampleRate: 48000, bytesPerSample: 3 } as const;
const MAX_RIFF_BYTES = 0xffffffff;
const SILENCE_CHUNK = Buffer.alloc(SEGMENT_WAV.bytesPerSample * 48000);

/** Where a rendered WAV's samples are, checked to be the segment's format. */
export async function readClipWav(path: string): Promise<{ path: string; layout: PcmLayout }> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const header = readWavHeader(head.subarray(0, bytesRead));
    if (header.kind !== 'pcm') throw new Error(`${path}: not a PCM WAV`);
    const { layout } = header;
    if (
      layout.format !== 's24' ||
      layout.channels !== 1 ||
      layout.sampleRate !== SEGMENT_WAV.sampleRate ||
      layout.dataBytes === undefined
    )
      throw new Error(`${path}: not a rendered clip (48 kHz, 24 bit, mono)`);
    return { path, layout };
  } finally {
    await file.close();
  }
}

function header(dataBytes: number, trailerBytes: number): Buffer {
  const pad = dataBytes % 2;
  const riffBytes = 4 + 8 + 16 + 8 + dataBytes + pad + trailerBytes;
  if (riffBytes > MAX_RIFF_BYTES) throw new Error('the segment is too long for a WAV file');
  const b = Buffer.alloc(44);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(riffBytes, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(SEGMENT_WAV.sampleRate, 24);
  b.writeUInt32LE(SEGMENT_WAV.sampleRate * SEGMENT_WAV.bytesPerSample, 28);
  b.writeUInt16LE(SEGMENT_WAV.bytesPerSample, 32);
  b.writeUInt16LE(8 * SEGMENT_WAV.bytesPerSample, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(dataBytes, 40);
  return b;
}

async function* segmentBytes(
  layout: SegmentLayout,
  clips: { path: string; layout: PcmLayout }[],
  trailer: Buffer,
): AsyncGenerator<Buffer> {
  const dataBytes = layout.totalSamples * SEGMENT_WAV.bytesPerSample;
  yield header(dataBytes, trailer.length);
  for (const piece of layout.wav) {
    if ('silence' in piece) {
      let left = piece.silence * SEGMENT_WAV.bytesPerSample;
      while (left > 0) {
        const n = Math.min(left, SILENCE_CHUNK.length);
        yield SILENCE_CHUNK.subarray(0, n);
        left -= n;
      }
      continue;
    }
    const clip = clips[piece.part]!;
    const bytes = piece.samples * SEGMENT_WAV.bytesPerSample;
    const start = clip.layout.dataOffset;
    // One file at a time, in pieces: memory does not grow with the number or length of clips.
    yield* createReadStream(clip.path, { start, end: start + bytes - 1, highWaterMark: 1 << 20 });
  }
  if (dataBytes % 2) yield Buffer.alloc(1);
  yield trailer;
}

/** Writes the WAV: every part's samples and the pauses, then a marker at each chapter. */
export async function writeWavSegment(
  layout: SegmentLayout,
  clips: { path: string; layout: PcmLayout }[],
  target: string,
): Promise<void> {
  const trailer = cueChunks(
    layout.chapters.map((c) => ({ sample: layout.starts[c.part]!, label: c.title })),
  );
  await pipeline(segmentBytes(layout, clips, trailer), createWriteStream(target));
}

/** A clip's length in samples, from its header. */
export const wavSamples = (layout: PcmLayout): number =>
  Math.floor((layout.dataBytes ?? 0) / layout.blockAlign);
