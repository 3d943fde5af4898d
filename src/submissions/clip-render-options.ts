import type { NoiseChoice } from '../audio/denoise-plan';
import type { TranscodeOptions } from '../audio/transcode';
import type { Config } from '../config';

/** How the settings render a clip: a listener's message and the team's voice reply alike. */
export function clipRenderOptions(
  config: Config,
  noise: NoiseChoice,
  signal: AbortSignal | undefined,
): TranscodeOptions {
  return {
    ffmpegPath: config.FFMPEG_PATH,
    targetLufs: config.LOUDNESS_TARGET_LUFS,
    truePeakDbtp: config.TRUE_PEAK_DBTP,
    mp3BitrateKbps: config.MP3_BITRATE_KBPS,
    // A second of slack: the intake measured the length already, the render must not refuse it.
    maxDurationSeconds: config.MAX_DURATION_SECONDS + 1,
    timeoutMs: config.FFMPEG_TIMEOUT_SECONDS * 1000,
    noise,
    ...(config.DENOISE_MODEL && { denoiseModel: config.DENOISE_MODEL }),
    ...(config.DENOISE === 'off' && { denoiseDisabled: true }),
    ...(signal && { signal }),
  };
}
