import { createReadStream } from 'node:fs';

/**
 * Counts the MPEG audio frames of an MP3, to place it on a timeline to the sample without
 * decoding it. Skips an ID3v2 tag and the Xing/Info frame (which holds no audio).
 */
export interface Mp3Frames {
  frames: number;
  sampleRate: number;
  samplesPerFrame: number;
}

// Indexed by the header's version bits: 0 = MPEG-2.5, 2 = MPEG-2, 3 = MPEG-1.
const SAMPLE_RATES: Record<number, number[]> = {
  0: [11025, 12000, 8000],
  2: [22050, 24000, 16000],
  3: [44100, 48000, 32000],
};
const LAYER3_KBPS: Record<'v1' | 'v2', number[]> = {
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};

interface FrameHeader {
  bytes: number;
  sampleRate: number;
  samplesPerFrame: number;
  /** Where a Xing/Info tag would start, from the frame's start. */
  sideInfoEnd: number;
}

/** A Layer III frame header at b[at], or undefined. */
export function readFrameHeader(b: Buffer, at: number): FrameHeader | undefined {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return undefined;
  const version = (b[at + 1]! >> 3) & 3;
  const layer = (b[at + 1]! >> 1) & 3;
  const bitrateIndex = b[at + 2]! >> 4;
  const rateIndex = (b[at + 2]! >> 2) & 3;
  const padding = (b[at + 2]! >> 1) & 1;
  const mono = b[at + 3]! >> 6 === 3;
  if (version === 1 || layer !== 1 || rateIndex === 3) return undefined;
  const kbps = LAYER3_KBPS[version === 3 ? 'v1' : 'v2'][bitrateIndex];
  if (!kbps) return undefined; // free format or invalid
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const bytes = Math.floor(((samplesPerFrame / 8) * kbps * 1000) / sampleRate) + padding;
  const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  return { bytes, sampleRate, samplesPerFrame, sideInfoEnd: 4 + sideInfo };
}

function id3v2Size(b: Buffer): number | undefined {
  if (b.length < 10 || b.toString('latin1', 0, 3) !== 'ID3') return 0;
  const size =
    ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
  const footer = b[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/** Walks the file's frames in chunks: memory stays flat however long the file is. */
export async function countMp3Frames(path: string): Promise<Mp3Frames> {
  let pending: Buffer = Buffer.alloc(0);
  let skip: number | undefined;
  let frames = 0;
  let first: FrameHeader | undefined;
  let sawFirstFrame = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    if (skip === undefined) {
      if (pending.length < 10) continue;
      skip = id3v2Size(pending);
    }
    let at = 0;
    if (skip && skip > 0) {
      const dropped = Math.min(skip, pending.length);
      at = dropped;
      skip -= dropped;
      if (skip > 0) {
        pending = Buffer.alloc(0);
        continue;
      }
    }
    for (;;) {
      const header = readFrameHeader(pending, at);
      if (!header) {
        if (at + 4 > pending.length) break;
        // An ID3v1 or APE tag closes some files: no audio after it.
        const tail = pending.toString('latin1', at, at + 8);
        if (tail.startsWith('TAG') || tail === 'APETAGEX') return result(frames, first);
        throw new Error(`not an MPEG audio frame at byte ${at}`);
      }
      if (at + header.bytes > pending.length) break;
      if (!sawFirstFrame) {
        sawFirstFrame = true;
        first = header;
        const tag = pending.toString(
          'latin1',
          at + header.sideInfoEnd,
          at + header.sideInfoEnd + 4,
        );
        if (tag !== 'Xing' && tag !== 'Info') frames += 1;
      } else {
        if (header.sampleRate !== first!.sampleRate) throw new Error('the sample rate changes');
        frames += 1;
      }
      at += header.bytes;
    }
    pending = pending.subarray(at);
  }
  return result(frames, first);
}

function result(frames: number, first: FrameHeader | undefined): Mp3Frames {
  if (!first) throw new Error('no MPEG audio frame');
  return { frames, sampleRate: first.sampleRate, samplesPerFrame: first.samplesPerFrame };
}
