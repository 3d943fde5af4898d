/**
 * Container detection from magic bytes only. The file name and the client's Content-Type are
 * never trusted: the result decides which single ffmpeg demuxer may read the file (`-f`).
 */
export type AudioContainer =
  'webm' | 'ogg' | 'mp4' | 'mp3' | 'wav' | 'flac' | 'amr' | 'caf' | 'aiff';

export interface ContainerInfo {
  /** ffmpeg demuxer forced with `-f` before `-i`. */
  ffmpegFormat: string;
  extension: string;
  contentType: string;
}

export const CONTAINERS: Readonly<Record<AudioContainer, Readonly<ContainerInfo>>> = Object.freeze({
  webm: { ffmpegFormat: 'matroska', extension: 'webm', contentType: 'audio/webm' },
  ogg: { ffmpegFormat: 'ogg', extension: 'ogg', contentType: 'audio/ogg' },
  mp4: { ffmpegFormat: 'mov', extension: 'm4a', contentType: 'audio/mp4' },
  mp3: { ffmpegFormat: 'mp3', extension: 'mp3', contentType: 'audio/mpeg' },
  wav: { ffmpegFormat: 'wav', extension: 'wav', contentType: 'audio/wav' },
  flac: { ffmpegFormat: 'flac', extension: 'flac', contentType: 'audio/flac' },
  // Android's and feature phones' voice recorders (AMR-NB and AMR-WB, RFC 4867 storage format).
  amr: { ffmpegFormat: 'amr', extension: 'amr', contentType: 'audio/amr' },
  // Apple's Core Audio Format: what iOS apps save (AAC, ALAC or PCM inside).
  caf: { ffmpegFormat: 'caf', extension: 'caf', contentType: 'audio/x-caf' },
  // What macOS, GarageBand and Logic export: AIFF, and AIFF-C (`sowt`: little-endian PCM).
  aiff: { ffmpegFormat: 'aiff', extension: 'aiff', contentType: 'audio/aiff' },
});

/** How many leading bytes the caller must pass (fewer only when the file is shorter). */
export const SNIFF_BYTES = 64;

/**
 * ISO-BMFF major brands of audio/video files. Image brands (heic, mif1, avif…) share the
 * `ftyp` box and are deliberately absent.
 */
const MP4_BRANDS = [
  /^isom$/,
  /^iso[2-9]$/,
  /^mp4[12]$/,
  /^M4[ABV] $/,
  /^3g[p2][0-9a-z]$/,
  /^3ge[0-9]$/,
  /^qt {2}$/,
  /^dash$/,
  /^mmp4$/,
  /^avc1$/,
  /^f4[av] $/,
  /^MSNV$/,
];

const ascii = (b: Buffer, start: number, end: number): string => b.toString('latin1', start, end);

function isMp3FrameHeader(b: Buffer, at: number): boolean {
  if (b.length < at + 4) return false;
  const b1 = b.readUInt8(at + 1);
  const b2 = b.readUInt8(at + 2);
  if (b.readUInt8(at) !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11; // 01 is reserved
  const layer = (b1 >> 1) & 0b11; // 01 = layer III; 11 (as in 0xFFFF fill) is layer I
  const bitrate = b2 >> 4; // 0 = free format (not supported), 15 = invalid
  const sampleRate = (b2 >> 2) & 0b11; // 11 is reserved
  return (
    version !== 0b01 && layer === 0b01 && bitrate !== 0 && bitrate !== 0b1111 && sampleRate !== 0b11
  );
}

function isId3v2(b: Buffer): boolean {
  if (b.length < 10 || ascii(b, 0, 3) !== 'ID3') return false;
  const major = b.readUInt8(3);
  // The four size bytes are "syncsafe": their top bit is always clear.
  const syncsafe = [6, 7, 8, 9].every((i) => (b.readUInt8(i) & 0x80) === 0);
  return major >= 2 && major <= 4 && b.readUInt8(4) !== 0xff && syncsafe;
}

/** Returns the container the bytes start with, or undefined for anything else (or too few bytes). */
export function sniffContainer(head: Buffer): AudioContainer | undefined {
  const b = head.subarray(0, SNIFF_BYTES);
  if (b.length < 4) return undefined;
  if (b.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  const magic = ascii(b, 0, 4);
  if (magic === 'OggS') return 'ogg';
  if (magic === 'fLaC') return 'flac';
  if (ascii(b, 0, 6) === '#!AMR\n' || ascii(b, 0, 9) === '#!AMR-WB\n') return 'amr';
  // `caff`, version 1, flags 0.
  if (magic === 'caff' && b.length >= 8 && b.readUInt32BE(4) === 0x00010000) return 'caf';
  if ((magic === 'RIFF' || magic === 'RF64') && b.length >= 12 && ascii(b, 8, 12) === 'WAVE')
    return 'wav';
  if (magic === 'FORM' && b.length >= 12 && ['AIFF', 'AIFC'].includes(ascii(b, 8, 12)))
    return 'aiff';
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    const brand = ascii(b, 8, 12);
    return MP4_BRANDS.some((re) => re.test(brand)) ? 'mp4' : undefined;
  }
  if (isId3v2(b) || isMp3FrameHeader(b, 0)) return 'mp3';
  return undefined;
}
