import { DecodeCheck } from './decode-check';
import { fileUrl, inspectArgs } from './ffmpeg-args';
import { ProcessFailedError, runProcess } from './run-process';
import { CONTAINERS, type AudioContainer } from './sniff';
import { INSPECT_CAP_EXTRA_SECONDS, type UploadFacts } from './upload-facts';

export type { UploadFacts } from './upload-facts';

export interface InspectOptions {
  ffmpegPath: string;
  maxDurationSeconds: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * The upload check on a finished file: ONE ffmpeg decode of it (up to the cap), judged by
 * DecodeCheck. For formats ffmpeg must seek in (MP4 with `moov` at the end, CAF); everything
 * else is checked as it streams (inspect-stream.ts).
 */
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
  const check = new DecodeCheck(fileUrl(filePath));
  let failed: ProcessFailedError | undefined;
  try {
    await runProcess(options.ffmpegPath, args, {
      timeoutMs: options.timeoutMs,
      stdout: check.onPcm,
      onStderrLine: check.onStderrLine,
      ...(options.signal && { signal: options.signal }),
    });
  } catch (error) {
    // A timeout, an abort or a missing ffmpeg says nothing about the file: rethrow those.
    if (!(error instanceof ProcessFailedError)) throw error;
    failed = error;
  }
  return check.facts(failed);
}
