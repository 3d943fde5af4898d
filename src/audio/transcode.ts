import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import { amrSeconds } from './amr-timeline';
import {
  ChannelStats,
  channelWeights,
  chooseChannels,
  monoSignal,
  type ChannelMode,
} from './channel-choice';
import { analyseArgs, PCM_RATE, renderArgs, type RenderPlan } from './ffmpeg-args';
import { MAX_LIMITER_PUSH_DB, predictedLoudness, solveGain } from './gain-plan';
import {
  expectedMp3GainDb,
  levelMp3,
  Mp3Tap,
  type LoudnessMeasurement as Measurement,
} from './mp3-level';
import { BIN_SAMPLES, integratedLoudness, loudnessRange, type Bins } from './loudness';
import { floatFrames } from './float-frames';
import { joinFloats, measurePcm, PcmMeter, pcmBytes } from './pcm-meter';
import { waveformPeaks, type Peaks } from './peaks';
import { ProcessTimeoutError, runProcess } from './run-process';
import { CONTAINERS, type AudioContainer } from './sniff';
import { toDb } from './true-peak';
import { applyLeveling, levelingGains } from './speech-leveler';
import { speechRange } from './trim';
import { detectVoice } from './voice-activity';
import { planDenoise, removedNoisePower, type NoiseChoice, type NoiseReport } from './denoise-plan';
import { analyseNoise } from './noise-analysis';

/**
 * Upload -> loudness-normalised clip.wav (48 kHz, 24-bit, mono) + clip.mp3 + waveform peaks.
 *
 * MEASURE: one ffmpeg decode to two channels of 48 kHz float, high-passed, piped to Node, which
 *   measures the channels as they arrive, chooses the mono signal (channel-choice.ts), measures
 *   that (BS.1770 loudness, true peak), finds the voice (voice-activity.ts: the trim and the
 *   passages), levels quieter and louder passages towards each other (speech-leveler.ts) and keeps
 *   the result as a raw temp file.
 * APPLY: one ffmpeg render reads that file (no second decode): trim, gain, alimiter, fades, then
 *   WAV + MP3 + the same samples piped back, all from one filter graph. The gain is solved
 *   against a model of the limiter, which otherwise takes ~1 LU off speech at -16 LUFS.
 * VERIFY: the piped-back output is measured; if it misses the target by more than 0.5 LU or
 *   breaks the true-peak ceiling, it is rendered once more, corrected. The MP3 is decoded and
 *   measured as a player hears it, and made again from the WAV when the encoder left it off
 *   (mp3-level.ts). Outputs get their final names only on success.
 *
 * Measured on 60 s (bench/transcode.ts), against this design: ebur128 in the analyse pass costs
 * 0.035 s more, ebur128=peak=true 0.11 s more, decoding the upload again in the render 0.07 s
 * more; one-pass loudnorm alone 0.8 s (this mono file; NOTES measured 1.5 s).
 */

export interface TranscodeOptions {
  ffmpegPath: string;
  targetLufs: number;
  truePeakDbtp: number;
  mp3BitrateKbps: number;
  maxDurationSeconds: number;
  /** For the whole pipeline; every ffmpeg process gets what is left of it. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** `original`: the author turned the noise stage off for this message. */
  noise?: NoiseChoice;
  /** An RNNoise model (.rnnn) to use instead of afftdn. */
  denoiseModel?: string;
  /** DENOISE=off: no noise stage for any message. */
  denoiseDisabled?: boolean;
}

export interface TranscodeResult {
  durationSeconds: number;
  /** How the mono clip was made from the upload's channels. */
  channelMode: ChannelMode;
  trimmedStartSeconds: number;
  trimmedEndSeconds: number;
  /** False when no frame of the message was voiced (breaths, noise): then nothing is raised. */
  voiceFound: boolean;
  /** The largest boost and cut between passages (speech-leveler.ts), in dB. */
  leveling: { maxBoostDb: number; maxCutDb: number };
  /** Hum and noise removed, or why not (denoise-plan.ts). */
  noise: NoiseReport;
  input: { integratedLufs: number; truePeakDbtp: number; loudnessRangeLu: number };
  /** The WAV, as measured from the render's own samples. */
  output: { integratedLufs: number; truePeakDbtp: number };
  /** The MP3, as a player decodes it; `gainDb` is its gain over the WAV's samples. */
  mp3: { integratedLufs: number; truePeakDbtp: number; gainDb: number };
  gainDb: number;
  wavPath: string;
  mp3Path: string;
  /** Renders needed: 1 normally, 2 when the verify step corrected the gain. */
  renders: number;
  peaks: Peaks;
}

export const HIGHPASS_HZ = 80;
/**
 * Limiter ceiling below the true-peak target, for inter-sample peaks: measured 0.1 dB over the
 * ceiling at -16 LUFS; very hot targets overshoot more, and the verify step lowers the ceiling.
 */
export const TRUE_PEAK_MARGIN_DB = 0.5;
export const LOUDNESS_TOLERANCE_LU = 0.5;
export const FADE_SECONDS = 0.01;
const MIN_GAIN_DB = -30;
const MAX_GAIN_DB = 40;
/** Loudness values are reported with this floor instead of -Infinity (JSON has no infinities). */
export const SILENCE_LUFS = -70;

function sliceBins(bins: Bins, startSample: number, endSample: number): Bins {
  const from = Math.floor(startSample / BIN_SAMPLES);
  const to = Math.ceil(endSample / BIN_SAMPLES);
  return { peak: bins.peak.subarray(from, to), energy: bins.energy.subarray(from, to) };
}

/**
 * The bins as the render will have them after broadband noise reduction: each loses the noise
 * power taken out, but keeps at least a twentieth (−13 dB) of its energy, since the pause level
 * is a median and a bin may hold less noise than that (the gain is solved on these, so a
 * denoised message still lands on the target in one render).
 */
const KEPT_AT_LEAST = 0.05;

function withoutNoise(bins: Bins, removedPerSample: number): Bins {
  if (removedPerSample <= 0) return bins;
  const removed = removedPerSample * BIN_SAMPLES;
  const energy = bins.energy.map((e) => Math.max(e - removed, e * KEPT_AT_LEAST));
  return { peak: bins.peak, energy };
}

const finiteLufs = (lufs: number): number =>
  Number.isFinite(lufs) ? Math.max(SILENCE_LUFS, lufs) : SILENCE_LUFS;
const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

export async function transcodeToClips(
  inputPath: string,
  container: AudioContainer,
  outDir: string,
  options: TranscodeOptions,
): Promise<TranscodeResult> {
  const { ffmpegPath, targetLufs, truePeakDbtp, signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  const remaining = (): number => {
    const ms = deadline - Date.now();
    if (ms <= 0) throw new ProcessTimeoutError(ffmpegPath, options.timeoutMs, '');
    return ms;
  };
  const id = randomBytes(6).toString('hex');
  const temp = {
    raw: path.join(outDir, `.clip-${id}.raw.part`),
    wav: path.join(outDir, `.clip-${id}.wav.part`),
    mp3: path.join(outDir, `.clip-${id}.mp3.part`),
  };
  const wavPath = path.join(outDir, 'clip.wav');
  const mp3Path = path.join(outDir, 'clip.mp3');
  let done = false;

  try {
    // 1. MEASURE
    const fillToSeconds = await amrSeconds(inputPath, container);
    const analyse = analyseArgs({
      inputPath,
      ffmpegFormat: CONTAINERS[container].ffmpegFormat,
      capSeconds: options.maxDurationSeconds,
      highpassHz: HIGHPASS_HZ,
      ...(fillToSeconds !== undefined && { fillToSeconds }),
    });
    const decoded = { chunks: [] as Buffer[], bytes: 0, stats: new ChannelStats() };
    const measureChannels = floatFrames(2, (s, n) => decoded.stats.push(s, 0, n));
    await runProcess(ffmpegPath, analyse, {
      timeoutMs: remaining(),
      signal,
      stdout: (chunk) => {
        decoded.chunks.push(chunk);
        decoded.bytes += chunk.length;
        measureChannels(chunk);
      },
    });
    const channelMode = chooseChannels(decoded.stats);
    const stereo = joinFloats(decoded.chunks, decoded.bytes);
    decoded.chunks.length = 0;
    const mono = monoSignal(stereo, channelWeights(decoded.stats, channelMode));
    // Each step below is a synchronous pass over the samples (about 30-80 ms a minute each): the
    // event loop gets a turn between them, for the API when both roles share a process.
    await setImmediate();
    const measured = measurePcm(mono);
    await setImmediate();
    const { samples: input, bins, truePeak: inputTruePeak } = measured;
    if (input.length === 0) throw new AppError('AUDIO_CORRUPT', { reason: 'no audio decoded' });
    const inputLufs = integratedLoudness(bins.energy);
    // Where the voice is decides the trim and the levelling between passages.
    const activity = detectVoice(input, bins.energy);
    await setImmediate();
    const voiceFound = activity.voicedFrames > 0;
    const { startSample, endSample } = speechRange(activity, input.length);
    const leveling = levelingGains(activity);
    // Below 1 dB anywhere, levelling would change nothing worth a pass over the samples.
    const levels = Math.max(leveling.maxBoostDb, leveling.maxCutDb) >= 1;
    const applied = levels ? applyLeveling(input, leveling.gainsDb) : undefined;
    await setImmediate();
    const levelled = applied ? measurePcm(applied) : measured;
    await writeFile(temp.raw, pcmBytes(levelled.samples));
    // Noise, from the pauses of what the render reads: after levelling.
    const noiseAnalysis = analyseNoise(levelled.samples, levelled.bins.energy, activity);
    const denoise = planDenoise(noiseAnalysis, {
      choice: options.noise ?? 'auto',
      ...(options.denoiseModel && { modelPath: options.denoiseModel }),
      ...(options.denoiseDisabled && { disabled: true }),
    });
    await setImmediate();
    const kept = withoutNoise(
      sliceBins(levelled.bins, startSample, endSample),
      removedNoisePower(noiseAnalysis, denoise.stage),
    );
    const keptLufs = integratedLoudness(kept.energy);

    // 2. APPLY
    let limit = 10 ** ((truePeakDbtp - TRUE_PEAK_MARGIN_DB) / 20);
    // Bounds anchored to the real target, so a correction cannot push the limiter further.
    const gainBounds = {
      minGainDb: MIN_GAIN_DB,
      // Without a voice (breaths, room noise) there is nothing to bring up to speech level.
      maxGainDb: Math.min(
        voiceFound ? MAX_GAIN_DB : 0,
        targetLufs - keptLufs + MAX_LIMITER_PUSH_DB,
      ),
    };
    let gainDb = solveGain(kept, keptLufs, { ...gainBounds, targetLufs, limit });
    const mp3GainDb = expectedMp3GainDb(options.mp3BitrateKbps);
    const render = async (): Promise<ReturnType<PcmMeter['finish']> & { mp3: Measurement }> => {
      const plan: RenderPlan = {
        rawPath: temp.raw,
        startSample,
        endSample,
        gainDb,
        limit,
        fadeSeconds: FADE_SECONDS,
        wavPath: temp.wav,
        mp3BitrateKbps: options.mp3BitrateKbps,
        mp3GainDb,
        ...(denoise.stage && { noise: denoise.stage }),
      };
      const meter = new PcmMeter();
      const mp3 = new Mp3Tap(ffmpegPath, temp.mp3, remaining());
      try {
        await runProcess(ffmpegPath, renderArgs(plan), {
          timeoutMs: remaining(),
          signal,
          stdout: meter.push,
          extraOutputs: [mp3.push],
        });
      } catch (error) {
        await mp3.abort();
        throw error;
      }
      return { ...meter.finish(), mp3: await mp3.finish() };
    };

    // 3. VERIFY, and correct once if needed
    let output = await render();
    let outLufs = integratedLoudness(output.bins.energy);
    let outTp = toDb(output.truePeak);
    let renders = 1;
    const next = { gainDb, limit };
    if (outTp > truePeakDbtp) next.limit *= 10 ** (-(outTp - truePeakDbtp + 0.1) / 20);
    if (Number.isFinite(outLufs) && Math.abs(outLufs - targetLufs) > LOUDNESS_TOLERANCE_LU) {
      // Re-solve on the model, aimed past the target by the model's own error: the limiter
      // makes loudness grow slower than gain, so simply adding the shortfall would fall short.
      const modelError = outLufs - predictedLoudness(kept, gainDb, limit);
      const target = targetLufs - modelError;
      next.gainDb = solveGain(kept, keptLufs, {
        ...gainBounds,
        targetLufs: target,
        limit: next.limit,
      });
    }
    // An unreachable target (limiter push used up) gains nothing from a second render.
    const gain = (g: number): number => predictedLoudness(kept, g, next.limit);
    if (next.limit !== limit || Math.abs(gain(next.gainDb) - gain(gainDb)) > 0.2) {
      ({ gainDb, limit } = next);
      output = await render();
      outLufs = integratedLoudness(output.bins.energy);
      outTp = toDb(output.truePeak);
      renders++;
    }

    const mp3 = await levelMp3({
      ffmpegPath,
      wavPath: temp.wav,
      mp3Path: temp.mp3,
      wavLufs: outLufs,
      renderedGainDb: mp3GainDb,
      rendered: output.mp3,
      truePeakDbtp,
      mp3BitrateKbps: options.mp3BitrateKbps,
      timeoutMs: remaining,
      ...(signal && { signal }),
    });

    await rename(temp.wav, wavPath);
    await rename(temp.mp3, mp3Path).catch(async (e: unknown) => {
      await rm(wavPath, { force: true }); // never a WAV without its MP3
      throw e;
    });
    done = true;
    return {
      durationSeconds: round(output.sampleCount / PCM_RATE, 3),
      channelMode,
      trimmedStartSeconds: round(startSample / PCM_RATE, 3),
      trimmedEndSeconds: round((input.length - endSample) / PCM_RATE, 3),
      voiceFound,
      leveling: {
        maxBoostDb: round(leveling.maxBoostDb, 1),
        maxCutDb: round(leveling.maxCutDb, 1),
      },
      noise: denoise.report,
      input: {
        integratedLufs: round(finiteLufs(inputLufs)),
        truePeakDbtp: round(toDb(inputTruePeak)),
        loudnessRangeLu: round(loudnessRange(bins.energy)),
      },
      output: { integratedLufs: round(finiteLufs(outLufs)), truePeakDbtp: round(outTp) },
      mp3: {
        integratedLufs: round(finiteLufs(mp3.integratedLufs)),
        truePeakDbtp: round(mp3.truePeakDbtp),
        gainDb: round(mp3.gainDb),
      },
      gainDb: round(gainDb),
      wavPath,
      mp3Path,
      renders,
      peaks: waveformPeaks(output.bins.peak, PCM_RATE / BIN_SAMPLES),
    };
  } finally {
    const leftovers = done ? [temp.raw] : [temp.raw, temp.wav, temp.mp3];
    await Promise.all(leftovers.map((f) => rm(f, { force: true })));
  }
}
