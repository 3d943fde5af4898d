import { ChannelStats, chooseChannels, chosenPeak, type ChannelMode } from './channel-choice';
import { inspectArgs, INSPECT_RATE } from './ffmpeg-args';
import { floatFrames } from './float-frames';
import { ProcessFailedError, runProcess } from './run-process';
import { CONTAINERS, type AudioContainer } from './sniff';
import { toDb } from './true-peak';

/**
 * The upload check: ONE ffmpeg decode of the whole file (up to the cap), two channels at 16 kHz,
 * raw float on stdout. No ffprobe (0.12 s just to start) and no header duration (Chrome's WebM
 * has none): the duration is the number of decoded frames; the peak is taken in Node, of the
 * signal the worker will use (channel-choice.ts), so cancelling channels are not "silent".
 *
 * Corruption, found by decoding the bad fixtures with `-loglevel level+warning`:
 *   - empty / not audio / wrong container: exit 1, "[error] ... Invalid data found when
 *     processing input" (or "moov atom not found", "EBML header parsing failed").
 *   - truncated WebM: exit 0, "[error] File ended prematurely".
 *   - MP3 header + garbage: exit 0, "[error] Header missing" and "[error] Error while decoding
 *     stream #0:0: Invalid data found when processing input".
 *   - truncated fragmented MP4, FLAC, WAV: exit 0 with "[error]" decode lines.
 *   - good files print at most warnings (e.g. "Guessed Channel Layout" for every WAV).
 * So: corrupt = non-zero exit OR any line at level error or worse; warnings never count.
 * (A truncated MP3 or Ogg file decodes cleanly up to the cut; it is short, not corrupt.)
 */

export interface InspectOptions {
  ffmpegPath: string;
  maxDurationSeconds: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface UploadFacts {
  /** Decoded length, capped at maxDurationSeconds + 1 (so "too long" is still visible). */
  durationSeconds: number;
  /** Sample peak in dBFS of the chosen mono signal; -144 for digital silence. */
  peakDb: number;
  /** How the mono signal would be made from the channels. */
  channelMode: ChannelMode;
  corrupt: boolean;
  /** Why it is corrupt, for logs (ffmpeg's words, without addresses). */
  problem?: string;
}

/** Allowance over the limit, so a file just over it is measured as over it. */
export const INSPECT_CAP_EXTRA_SECONDS = 1;

const ERROR_LINE = /^(?:\[[^\]]+ @ 0x[0-9a-f]+\] )?\[(?:panic|fatal|error)\] (.*)$/;

/** ffmpeg's message without the "[demuxer @ 0x…]" context, the file path and the level. */
function describe(line: string, filePath: string): string {
  const message = (ERROR_LINE.exec(line)?.[1] ?? line)
    .split(`file:${filePath}`)
    .join('input')
    .trim();
  if (/matches no streams/.test(message)) return 'no audio stream';
  return message.slice(0, 200);
}

/** Without an error line: a failed exit still explains itself, and nothing decoded is corrupt. */
function failureProblem(
  failed: ProcessFailedError | undefined,
  filePath: string,
  samples: number,
): string | undefined {
  if (failed) {
    const lastLine = failed.stderrTail.trim().split('\n').pop();
    return describe(lastLine || `exit code ${failed.exitCode}`, filePath);
  }
  return samples === 0 ? 'no audio decoded' : undefined;
}

export async function inspectUpload(
  filePath: string,
  container: AudioContainer,
  options: InspectOptions,
): Promise<UploadFacts> {
  const args = inspectArgs({
    inputPath: filePath,
    ffmpegFormat: CONTAINERS[container].ffmpegFormat,
    capSeconds: options.maxDurationSeconds + INSPECT_CAP_EXTRA_SECONDS,
  });
  const stats = new ChannelStats();
  const onPcm = floatFrames(2, (samples, count) => stats.push(samples, 0, count));
  const errors: string[] = [];
  const tolerated = { count: 0, first: '' };
  const { toleratedDecoderErrors } = CONTAINERS[container];
  const onStderrLine = (line: string): void => {
    if (!ERROR_LINE.test(line)) return;
    if (toleratedDecoderErrors) {
      // The decoder's own line for the same packet is not counted twice.
      if (!toleratedDecoderErrors.line.test(line)) return;
      tolerated.count++;
      tolerated.first ||= describe(line, filePath);
    } else if (errors.length < 5) errors.push(describe(line, filePath));
  };

  let failed: ProcessFailedError | undefined;
  try {
    await runProcess(options.ffmpegPath, args, {
      timeoutMs: options.timeoutMs,
      stdout: onPcm,
      onStderrLine,
      ...(options.signal && { signal: options.signal }),
    });
  } catch (error) {
    // A timeout, an abort or a missing ffmpeg says nothing about the file: rethrow those.
    if (!(error instanceof ProcessFailedError)) throw error;
    failed = error;
  }

  const channelMode = chooseChannels(stats);
  const facts = {
    durationSeconds: Math.round((stats.frames / INSPECT_RATE) * 1000) / 1000,
    peakDb: Math.round(toDb(chosenPeak(stats, channelMode)) * 10) / 10,
    channelMode,
  };
  // Tolerated errors (one per bad 20 ms packet) stay tolerated below their share.
  const share = toleratedDecoderErrors?.share ?? 0;
  const tooMany =
    tolerated.count > share * (facts.durationSeconds / 0.02) ? tolerated.first : undefined;
  const problem = errors[0] ?? tooMany ?? failureProblem(failed, filePath, stats.frames);
  return problem === undefined
    ? { ...facts, corrupt: false }
    : { ...facts, corrupt: true, problem };
}
