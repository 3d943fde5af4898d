/**
 * Pure ffmpeg argument builders. ffmpeg runs on untrusted input, so every builder applies the
 * same hardening: the demuxer is forced from sniffed magic bytes, only the `file` protocol is
 * allowed (paths are also prefixed with `file:` so a name can never select a protocol), no
 * stdin, one thread, the first audio stream only, and a duration cap.
 */
import type { NoiseStage } from './denoise-plan';
import { noiseGraph } from './noise-filter';

/** Internal PCM is 32-bit float at this rate: two channels from the decoders, mono after. */
export const PCM_RATE = 48000;
/**
 * The decoders' channels: mono stays one channel (as (x, 0): no upmix that would lower it by
 * 3 dB), stereo stays two, more are mixed down to stereo. Node then chooses the mono signal
 * (channel-choice.ts): summing blindly cancels a voice recorded with one polarity inverted.
 */
export const TWO_CHANNELS = 'aformat=channel_layouts=mono|stereo,pan=stereo|c0=c0|c1=c1';
/** inspectUpload decodes at a low rate: enough for duration and a silence check, and cheap. */
export const INSPECT_RATE = 16000;
/**
 * libmp3lame's -q 7 (lame's "fast" mode). Measured on 60 s of mono speech at 96 kb/s: 0.14 s of
 * encoding against 0.25 s at -q 5 and 0.28 s at the default -q 3, the biggest single cost of the
 * render. The WAV is the master; the MP3 is for listening and sharing, where this is fine.
 */
export const MP3_QUALITY = 7;

/**
 * Options placed before the input. `level+warning` prefixes each log line with its severity
 * (what inspectUpload classifies) and keeps info-level output, where upload metadata would be
 * printed, out of stderr. `-threads 1` here binds the decoder; our encoders (PCM, LAME) are
 * single-threaded anyway.
 */
export function safetyArgs(protocol: 'file' | 'pipe' | 'file,pipe' = 'file'): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'level+warning',
    '-threads',
    '1',
    '-filter_threads',
    '1',
    '-filter_complex_threads',
    '1',
    '-protocol_whitelist',
    protocol,
  ];
}

/** `file:` makes ffmpeg read the name as a path even if it contains a colon. */
export const fileUrl = (p: string): string => `file:${p}`;

/** Seconds as ffmpeg accepts them, without exponent notation. */
const secs = (s: number): string => String(Math.round(s * 1e6) / 1e6);

export interface UntrustedInput {
  inputPath: string;
  /** From CONTAINERS[sniffed].ffmpegFormat. */
  ffmpegFormat: string;
}

/**
 * Raw float PCM on stdout. Without -flush_packets 0 a pipe is flushed every packet (4 KB):
 * eight times the wake-ups for Node, measured 50 ms slower per minute of audio.
 */
function pcmToStdout(): string[] {
  return ['-c:a', 'pcm_f32le', '-flush_packets', '0', '-f', 'f32le', 'pipe:1'];
}

/** Forced demuxer and untrusted file, first audio stream only. */
function untrustedInput({ inputPath, ffmpegFormat }: UntrustedInput): string[] {
  return ['-f', ffmpegFormat, '-i', fileUrl(inputPath), '-map', '0:a:0'];
}

/**
 * Upload check: decode everything up to the cap, two channels resampled low, as raw float on
 * stdout. The caller counts frames (duration) and takes the chosen signal's peak (silence).
 */
export function inspectArgs(input: UntrustedInput & { capSeconds: number }): string[] {
  return [
    ...safetyArgs(),
    ...untrustedInput(input),
    '-t',
    secs(input.capSeconds),
    '-af',
    `${TWO_CHANNELS},aformat=sample_fmts=flt,aresample=${INSPECT_RATE}`,
    ...pcmToStdout(),
  ];
}

/**
 * The same check on bytes that are still arriving: read from stdin (`pipe:0`, the only protocol
 * allowed), for containers that decode without seeking.
 */
export function inspectStreamArgs(input: { ffmpegFormat: string; capSeconds: number }): string[] {
  return [
    ...safetyArgs('pipe'),
    '-f',
    input.ffmpegFormat,
    '-i',
    'pipe:0',
    '-map',
    '0:a:0',
    '-t',
    secs(input.capSeconds),
    '-af',
    `${TWO_CHANNELS},aformat=sample_fmts=flt,aresample=${INSPECT_RATE}`,
    ...pcmToStdout(),
  ];
}

/**
 * Transcode pass 1: decode once to two channels of 48 kHz float, high-passed, on stdout.
 * Float before the high-pass: on s16 input it would otherwise filter (and clip) in 16 bits.
 * Node measures it as it arrives (loudness, true peak, silence) and stores it as the raw file
 * the render reads, which is cheaper than decoding the upload twice.
 */
export function analyseArgs(
  input: UntrustedInput & {
    capSeconds: number;
    highpassHz: number;
    /**
     * The recording's real length where the decoder drops packets it cannot decode (AMR's
     * comfort-noise frames): their time is filled with silence from the packets' timestamps, and
     * the end padded to this length.
     */
    fillToSeconds?: number;
  },
): string[] {
  const fill = input.fillToSeconds;
  const chain = [
    ...(fill === undefined ? [] : [GAP_FILL]),
    TWO_CHANNELS,
    'aformat=sample_fmts=flt',
    `aresample=${PCM_RATE}`,
    `highpass=f=${input.highpassHz}`,
    ...(fill === undefined ? [] : [`apad=whole_dur=${secs(fill)}`]),
  ];
  return [
    ...safetyArgs(),
    ...untrustedInput(input),
    '-t',
    secs(Math.min(input.capSeconds, fill ?? Infinity)),
    '-af',
    chain.join(','),
    ...pcmToStdout(),
  ];
}

/** Silence wherever the timestamps jump by more than 10 ms (one AMR frame is 20 ms). */
export const GAP_FILL = 'aresample=async=1:min_hard_comp=0.01:first_pts=0';

export interface RenderPlan {
  rawPath: string;
  /** Kept range of the raw file, in samples at PCM_RATE (end exclusive). */
  startSample: number;
  endSample: number;
  gainDb: number;
  /** alimiter ceiling, linear (0.0625..1). */
  limit: number;
  /** Fade in and out at the cut points, against clicks. */
  fadeSeconds: number;
  wavPath: string;
  mp3BitrateKbps: number;
  /** Added to the MP3 branch only: what the encoder is expected to take away (mp3-level.ts). */
  mp3GainDb: number;
  /** Hum notches and broadband reduction, before everything else (denoise-plan.ts). */
  noise?: NoiseStage;
}

/** The render's filter graph: noise, trim, gain, limit, fade, then one branch per output. */
export function renderFilter(plan: RenderPlan): string {
  const duration = (plan.endSample - plan.startSample) / PCM_RATE;
  const fade = Math.min(plan.fadeSeconds, duration / 4);
  const limit = Math.min(1, Math.max(0.0625, plan.limit));
  const noise = noiseGraph(plan.noise, PCM_RATE);
  const trim = noise.offsetSamples;
  const head = plan.noise ? `${noise.graph};[denoised]` : '[0:a]';
  return [
    `${head}atrim=start_sample=${plan.startSample + trim}:end_sample=${plan.endSample + trim}`,
    'asetpts=PTS-STARTPTS',
    `volume=${plan.gainDb.toFixed(3)}dB:precision=float`,
    `alimiter=limit=${limit.toFixed(6)}:attack=5:release=50:level=false:latency=true`,
    `afade=t=in:d=${secs(fade)}`,
    `afade=t=out:st=${secs(Math.max(0, duration - fade))}:d=${secs(fade)}`,
    'asplit=3[wav][lame][pcm]',
  ]
    .join(',')
    .concat(`;[lame]${mp3Gain(plan.mp3GainDb)}[mp3]`);
}

const mp3Gain = (db: number): string => `volume=${db.toFixed(3)}dB:precision=float`;

/** Where the render writes its MP3: the process's fd 3, read by the caller. */
export const MP3_PIPE = 'pipe:3';

function mp3Encoder(bitrateKbps: number, target: string): string[] {
  return [
    '-c:a',
    'libmp3lame',
    '-b:a',
    `${bitrateKbps}k`,
    '-compression_level',
    String(MP3_QUALITY),
    '-f',
    'mp3',
    '-y',
    target === MP3_PIPE ? target : fileUrl(target),
  ];
}

/**
 * Our own finished WAV or MP3 as mono float on stdout, to measure what it really plays at. The
 * file is ours, but the same hardening applies: it costs nothing.
 */
export function decodeOwnFileArgs(input: UntrustedInput): string[] {
  return [
    ...safetyArgs(),
    ...untrustedInput(input),
    '-af',
    `aformat=sample_fmts=flt:channel_layouts=mono,aresample=${PCM_RATE}`,
    ...pcmToStdout(),
  ];
}

/** An MP3 arriving on stdin (the render's, as it is encoded) as mono float on stdout. */
export function decodeMp3StreamArgs(): string[] {
  return [
    ...safetyArgs('pipe'),
    '-f',
    'mp3',
    '-i',
    'pipe:0',
    '-map',
    '0:a:0',
    '-af',
    `aformat=sample_fmts=flt:channel_layouts=mono,aresample=${PCM_RATE}`,
    ...pcmToStdout(),
  ];
}

/** The MP3 again, from the finished WAV, with a gain that brings it to the WAV's loudness. */
export function mp3FromWavArgs(plan: {
  wavPath: string;
  mp3Path: string;
  gainDb: number;
  mp3BitrateKbps: number;
}): string[] {
  return [
    ...safetyArgs(),
    '-f',
    'wav',
    '-i',
    fileUrl(plan.wavPath),
    '-af',
    mp3Gain(plan.gainDb),
    ...mp3Encoder(plan.mp3BitrateKbps, plan.mp3Path),
  ];
}

/**
 * Transcode pass 2, one process for every output: 24-bit WAV, MP3, and the same samples as raw
 * float on stdout for verification (loudness, true peak) and the waveform peaks. The input is our
 * own raw PCM, so no metadata from the upload can reach the outputs.
 */
export function renderArgs(plan: RenderPlan): string[] {
  const rawInput = [
    '-f',
    'f32le',
    '-ar',
    String(PCM_RATE),
    '-ac',
    '1',
    '-i',
    fileUrl(plan.rawPath),
  ];
  return [
    // The MP3 leaves on fd 3, so it can be measured while it is encoded (mp3-level.ts).
    ...safetyArgs('file,pipe'),
    ...rawInput,
    // The pause the denoiser learns the noise from is read again (noise-filter.ts).
    ...(noiseGraph(plan.noise, PCM_RATE).readsProfile ? rawInput : []),
    '-filter_complex',
    renderFilter(plan),
    '-map',
    '[wav]',
    '-c:a',
    'pcm_s24le',
    '-f',
    'wav',
    '-y',
    fileUrl(plan.wavPath),
    '-map',
    '[mp3]',
    ...mp3Encoder(plan.mp3BitrateKbps, MP3_PIPE),
    '-map',
    '[pcm]',
    ...pcmToStdout(),
  ];
}
