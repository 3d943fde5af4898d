import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { decodeMp3StreamArgs, decodeOwnFileArgs, mp3FromWavArgs } from './ffmpeg-args';
import { integratedLoudness } from './loudness';
import { PcmMeter } from './pcm-meter';
import { runProcess } from './run-process';
import { toDb } from './true-peak';

/**
 * The MP3 plays at the WAV's loudness. LAME's quantiser rounds towards zero, so an MP3 comes out
 * quieter than what it was made from, by the same factor across the spectrum (measured: 0.45 dB
 * at 96 kb/s on a 1 kHz tone and on speech, 0.27 dB at 192 kb/s, the same with ffmpeg's and
 * libmad's decoders). The render adds a gain to its MP3 branch; this measures the MP3 as a
 * player decodes it and, when it is still off, encodes it again from the WAV, corrected.
 *
 * The render's MP3 is measured while it is encoded (Mp3Tap: the render writes it to a pipe, a
 * second ffmpeg decodes it on the other core), so the check costs little beyond the render.
 */

/** What a file plays at, as a player decodes it. */
export interface LoudnessMeasurement {
  integratedLufs: number;
  truePeakDbtp: number;
}

/** The MP3 may differ from the WAV by this much before it is made again. */
export const MP3_TOLERANCE_LU = 0.1;

/** What the encoder took away last time, per bitrate: the next render's MP3 gain starts there. */
const learnedGainDb = new Map<number, number>();
export const expectedMp3GainDb = (bitrateKbps: number): number =>
  learnedGainDb.get(bitrateKbps) ?? 0;

const measurementOf = (meter: PcmMeter): LoudnessMeasurement => {
  const { bins, truePeak } = meter.finish();
  return { integratedLufs: integratedLoudness(bins.energy), truePeakDbtp: toDb(truePeak) };
};

/**
 * Takes the render's MP3 as it arrives: writes it to its file and decodes it alongside, so its
 * loudness is known when the render ends. `push` is the render's fd 3 reader.
 */
export class Mp3Tap {
  private readonly file;
  private readonly input = new PassThrough();
  private readonly meter = new PcmMeter();
  private readonly stop = new AbortController();
  private readonly decoding;

  constructor(ffmpegPath: string, mp3Path: string, timeoutMs: number) {
    this.file = createWriteStream(mp3Path);
    this.decoding = runProcess(ffmpegPath, decodeMp3StreamArgs(), {
      timeoutMs,
      signal: this.stop.signal,
      stdin: this.input,
      stdout: this.meter.push,
    });
    // Settled by finish() or ignored after abort(): never an unhandled rejection.
    this.decoding.catch(() => undefined);
    this.file.on('error', () => undefined);
  }

  readonly push = (chunk: Buffer): void => {
    this.file.write(chunk);
    this.input.write(chunk);
  };

  /** After the render exited well: the file complete, and what it plays at. */
  async finish(): Promise<LoudnessMeasurement> {
    this.input.end();
    this.file.end();
    await Promise.all([finished(this.file), this.decoding]);
    return measurementOf(this.meter);
  }

  /** After a failed render: stop decoding, close the file (the caller removes it). */
  async abort(): Promise<void> {
    this.stop.abort();
    this.input.destroy();
    this.file.destroy();
    await this.decoding.catch(() => undefined);
  }
}

export interface Mp3LevelPlan {
  ffmpegPath: string;
  wavPath: string;
  mp3Path: string;
  /** The WAV's measured loudness, the level to match. */
  wavLufs: number;
  /** The gain the render gave the MP3 branch, and what that MP3 measured. */
  renderedGainDb: number;
  rendered: LoudnessMeasurement;
  truePeakDbtp: number;
  mp3BitrateKbps: number;
  timeoutMs: () => number;
  signal?: AbortSignal;
}

export interface Mp3Level extends LoudnessMeasurement {
  /** Gain of the final MP3 relative to the WAV's samples. */
  gainDb: number;
  /** 0 when the render's MP3 was already right, 1 when it was made again. */
  reencodes: number;
}

export async function measureFile(
  ffmpegPath: string,
  file: { path: string; format: 'mp3' | 'wav' },
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<LoudnessMeasurement> {
  const meter = new PcmMeter();
  await runProcess(
    ffmpegPath,
    decodeOwnFileArgs({ inputPath: file.path, ffmpegFormat: file.format }),
    {
      ...options,
      stdout: meter.push,
    },
  );
  const { bins, truePeak } = meter.finish();
  return { integratedLufs: integratedLoudness(bins.energy), truePeakDbtp: toDb(truePeak) };
}

/** If the render's MP3 misses the WAV's loudness, makes it again from the WAV, corrected. */
export async function levelMp3(plan: Mp3LevelPlan): Promise<Mp3Level> {
  const run = () => ({ timeoutMs: plan.timeoutMs(), ...(plan.signal && { signal: plan.signal }) });
  const mp3 = { path: plan.mp3Path, format: 'mp3' as const };
  let measured = plan.rendered;
  let gainDb = plan.renderedGainDb;
  let reencodes = 0;
  const missing = plan.wavLufs - measured.integratedLufs;
  if (Number.isFinite(missing) && Math.abs(missing) > MP3_TOLERANCE_LU) {
    // Never past the true-peak ceiling: quieter by what it takes, rather than louder and clipped.
    const headroom = plan.truePeakDbtp - measured.truePeakDbtp;
    gainDb += Math.min(missing, headroom);
    await runProcess(
      plan.ffmpegPath,
      mp3FromWavArgs({
        wavPath: plan.wavPath,
        mp3Path: plan.mp3Path,
        gainDb,
        mp3BitrateKbps: plan.mp3BitrateKbps,
      }),
      run(),
    );
    measured = await measureFile(plan.ffmpegPath, mp3, run());
    reencodes = 1;
  }
  if (Number.isFinite(measured.integratedLufs)) learnedGainDb.set(plan.mp3BitrateKbps, gainDb);
  return { ...measured, gainDb, reencodes };
}
