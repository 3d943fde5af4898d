import { inspectArgs, INSPECT_RATE } from './ffmpeg-args';
import { ProcessFailedError, runProcess } from './run-process';
import { CONTAINERS, type AudioContainer } from './sniff';
import { toDb } from './true-peak';

/**
 * The upload check: ONE ffmpeg decode of the whole file (up to the cap), mono at 16 kHz, raw
 * float on stdout. No ffprobe (0.12 s just to start) and no header duration (Chrome's WebM has
 * none): the duration is the number of decoded samples, the peak is taken in Node.
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
  /** Sample peak in dBFS of the mono mixdown; -144 for digital silence. */
  peakDb: number;
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
  let bytes = 0;
  let peak = 0;
  let carry = Buffer.alloc(0);
  const onPcm = (chunk: Buffer): void => {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = data.length - (data.length % 4);
    for (let i = 0; i < whole; i += 4) {
      const a = Math.abs(data.readFloatLE(i));
      if (a > peak) peak = a;
    }
    carry = Buffer.from(data.subarray(whole));
    bytes += chunk.length;
  };
  const errors: string[] = [];
  const onStderrLine = (line: string): void => {
    if (errors.length < 5 && ERROR_LINE.test(line)) errors.push(describe(line, filePath));
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

  const samples = Math.floor(bytes / 4);
  const facts = {
    durationSeconds: Math.round((samples / INSPECT_RATE) * 1000) / 1000,
    peakDb: Math.round(toDb(peak) * 10) / 10,
  };
  const problem = errors[0] ?? failureProblem(failed, filePath, samples);
  return problem === undefined
    ? { ...facts, corrupt: false }
    : { ...facts, corrupt: true, problem };
}
