import { open, readFile } from 'node:fs/promises';
import type { AudioContainer } from './sniff';

/**
 * How long an AMR recording really is. ffmpeg's AMR decoders drop the comfort-noise (SID) and
 * no-data frames that recorders write in pauses (DTX) instead of filling their 20 ms, so a pause
 * shrinks and the whole message comes out short (16.4 s became 15.2 s). Every AMR frame, decoded
 * or not, is 20 ms: the frame count (raw .amr) or the track's duration (AMR in 3GP/MP4) gives
 * the length the clip must keep; the analyse pass fills the gaps with silence up to it.
 */

export const AMR_FRAME_SECONDS = 0.02;

/** Payload bytes after the one-byte frame header, by frame type (RFC 4867, 5.3). */
const NB_SIZES = [12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0];
const WB_SIZES = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0];
const NB_MAGIC = '#!AMR\n';
const WB_MAGIC = '#!AMR-WB\n';
/** A moov box larger than this is not a voice memo's; its AMR timing is left to ffmpeg. */
const MAX_MOOV_BYTES = 16 * 1024 * 1024;

/** Frames in an AMR storage-format file (single channel). */
export function countAmrFrames(bytes: Buffer): number | undefined {
  const head = bytes.toString('latin1', 0, 9);
  const [sizes, start] = head.startsWith(WB_MAGIC)
    ? [WB_SIZES, WB_MAGIC.length]
    : head.startsWith(NB_MAGIC)
      ? [NB_SIZES, NB_MAGIC.length]
      : [undefined, 0];
  if (!sizes) return undefined;
  let frames = 0;
  for (let at = start; at < bytes.length; frames++)
    at += 1 + (sizes[((bytes[at] as number) >> 3) & 0x0f] as number);
  return frames;
}

interface Box {
  type: string;
  start: number;
  end: number;
}

function* boxes(b: Buffer, from: number, to: number): Generator<Box> {
  for (let at = from; at + 8 <= to;) {
    let size = b.readUInt32BE(at);
    let header = 8;
    if (size === 1 && at + 16 <= to) {
      size = Number(b.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) return;
    yield { type: b.toString('latin1', at + 4, at + 8), start: at + header, end: at + size };
    at += size;
  }
}

const child = (b: Buffer, box: Box, type: string): Box | undefined => {
  for (const c of boxes(b, box.start, box.end)) if (c.type === type) return c;
  return undefined;
};

/** The duration of the first AMR sound track inside a moov box, in seconds. */
export function amrTrackSeconds(moov: Buffer): number | undefined {
  for (const trak of boxes(moov, 0, moov.length)) {
    if (trak.type !== 'trak') continue;
    const mdia = child(moov, trak, 'mdia');
    const mdhd = mdia && child(moov, mdia, 'mdhd');
    const minf = mdia && child(moov, mdia, 'minf');
    const stbl = minf && child(moov, minf, 'stbl');
    const stsd = stbl && child(moov, stbl, 'stsd');
    if (!mdhd || !stsd || stsd.start + 16 > stsd.end) continue;
    // stsd: version/flags (4), entry count (4), then the first entry: size (4), format (4).
    const format = moov.toString('latin1', stsd.start + 12, stsd.start + 16);
    if (format !== 'samr' && format !== 'sawb') continue;
    const v1 = moov[mdhd.start] === 1;
    const timescale = moov.readUInt32BE(mdhd.start + (v1 ? 20 : 12));
    const duration = v1
      ? Number(moov.readBigUInt64BE(mdhd.start + 24))
      : moov.readUInt32BE(mdhd.start + 16);
    return timescale > 0 ? duration / timescale : undefined;
  }
  return undefined;
}

async function readMoov(path: string): Promise<Buffer | undefined> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(16);
    for (let at = 0; at + 8 <= size;) {
      await file.read(header, 0, 16, at);
      let length = header.readUInt32BE(0);
      let skip = 8;
      if (length === 1) {
        length = Number(header.readBigUInt64BE(8));
        skip = 16;
      } else if (length === 0) length = size - at;
      if (length < skip) return undefined;
      if (header.toString('latin1', 4, 8) === 'moov') {
        if (length - skip > MAX_MOOV_BYTES) return undefined;
        const moov = Buffer.alloc(length - skip);
        await file.read(moov, 0, moov.length, at + skip);
        return moov;
      }
      at += length;
    }
    return undefined;
  } finally {
    await file.close();
  }
}

/** The real length of an AMR recording, or undefined when the file holds no AMR. */
export async function amrSeconds(
  path: string,
  container: AudioContainer,
): Promise<number | undefined> {
  if (container === 'amr') {
    const frames = countAmrFrames(await readFile(path));
    return frames === undefined ? undefined : frames * AMR_FRAME_SECONDS;
  }
  if (container === 'mp4') {
    const moov = await readMoov(path);
    return moov && amrTrackSeconds(moov);
  }
  return undefined;
}
