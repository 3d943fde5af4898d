/**
 * Reads a RIFF/WAVE header far enough to measure the PCM that follows in Node, without ffmpeg.
 * Nothing in it is trusted: sizes are checked against each other and against what arrives.
 * Only plain PCM (integer 8–32 bit, float 32/64) in one or two channels is measured here; any
 * other WAV (µ-law, A-law, ADPCM, more channels, RF64) goes to ffmpeg like every other container.
 */

export type PcmSampleFormat = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64';

export interface PcmLayout {
  format: PcmSampleFormat;
  channels: 1 | 2;
  sampleRate: number;
  /** Bytes per frame: all channels of one sample time. */
  blockAlign: number;
  /** Where the samples start in the file. */
  dataOffset: number;
  /** The data chunk's declared size; undefined when the writer left it open (0 or 0xFFFFFFFF). */
  dataBytes: number | undefined;
}

export type WavHeader =
  | { kind: 'need-more' }
  | { kind: 'pcm'; layout: PcmLayout }
  /** A WAV this reader does not measure; ffmpeg decodes it (only from the file, if it must seek). */
  | { kind: 'other'; fromFileOnly?: true }
  | { kind: 'corrupt'; problem: string };

/** A header whose samples have not started by here is left to ffmpeg. */
export const WAV_HEADER_SEARCH_BYTES = 256 * 1024;

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Writers that stream (ffmpeg to a pipe, sox, some apps) leave the size at one of these. */
const OPEN_DATA_SIZES = new Set([0, 0xffffffff]);
const MAX_SAMPLE_RATE = 768_000;

const id = (b: Buffer, at: number): string => b.toString('latin1', at, at + 4);

function sampleFormat(tag: number, bits: number): PcmSampleFormat | 'other' | undefined {
  if (tag === WAVE_FORMAT_PCM) {
    const byBits: Record<number, PcmSampleFormat> = { 8: 'u8', 16: 's16', 24: 's24', 32: 's32' };
    return byBits[bits];
  }
  if (tag === WAVE_FORMAT_IEEE_FLOAT) return bits === 32 ? 'f32' : bits === 64 ? 'f64' : undefined;
  return 'other';
}

interface Format {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

function readFormat(b: Buffer, at: number, size: number): Format | string {
  if (size < 16) return 'fmt chunk too short';
  let tag = b.readUInt16LE(at);
  const format = {
    channels: b.readUInt16LE(at + 2),
    sampleRate: b.readUInt32LE(at + 4),
    blockAlign: b.readUInt16LE(at + 12),
    bits: b.readUInt16LE(at + 14),
  };
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    // cbSize, valid bits, channel mask, then the sub-format GUID whose first two bytes are the tag.
    if (size < 40) return 'extensible fmt chunk too short';
    tag = b.readUInt16LE(at + 24);
  }
  if (format.channels === 0) return 'no channels';
  if (format.sampleRate === 0 || format.sampleRate > MAX_SAMPLE_RATE)
    return 'impossible sample rate';
  return { tag, ...format };
}

/** Parses the start of a file that sniffed as WAV; call again with more bytes on 'need-more'. */
export function readWavHeader(b: Buffer): WavHeader {
  if (b.length < 12) return { kind: 'need-more' };
  if (id(b, 0) !== 'RIFF' || id(b, 8) !== 'WAVE') return { kind: 'other' }; // RF64, BW64
  let at = 12;
  let format: Format | undefined;
  for (;;) {
    if (at >= WAV_HEADER_SEARCH_BYTES) return { kind: 'other', fromFileOnly: true };
    if (b.length < at + 8) return { kind: 'need-more' };
    const chunk = id(b, at);
    const size = b.readUInt32LE(at + 4);
    const body = at + 8;
    if (chunk === 'data') {
      if (!format) return { kind: 'other', fromFileOnly: true }; // data before fmt: must seek
      const sample = sampleFormat(format.tag, format.bits);
      if (sample === undefined) return { kind: 'corrupt', problem: `no PCM of ${format.bits} bit` };
      if (sample === 'other' || format.channels > 2) return { kind: 'other' };
      if (format.blockAlign !== (format.channels * format.bits) / 8)
        return { kind: 'corrupt', problem: 'block align does not match the sample format' };
      return {
        kind: 'pcm',
        layout: {
          format: sample,
          channels: format.channels as 1 | 2,
          sampleRate: format.sampleRate,
          blockAlign: format.blockAlign,
          dataOffset: body,
          dataBytes: OPEN_DATA_SIZES.has(size) ? undefined : size,
        },
      };
    }
    if (chunk === 'fmt ') {
      if (b.length < body + Math.min(size, 40)) return { kind: 'need-more' };
      const read = readFormat(b, body, size);
      if (typeof read === 'string') return { kind: 'corrupt', problem: read };
      format = read;
    }
    at = body + size + (size % 2); // chunks are padded to an even length
  }
}
