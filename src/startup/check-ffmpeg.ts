import { access, constants } from 'node:fs/promises';
import { runProcess } from '../audio/run-process';

const NEEDED = {
  encoders: ['pcm_s24le', 'pcm_f32le', 'libmp3lame'],
  filters: [
    ...['alimiter', 'highpass', 'aformat', 'aresample', 'atrim', 'afade', 'asplit', 'volume'],
    // The noise stage (noise-filter.ts).
    ...['afftdn', 'asendcmd', 'bandreject', 'concat', 'apad'],
  ],
};

/** Fails with a fix-it message when ffmpeg is missing or lacks what the worker needs. */
export async function checkFfmpeg(ffmpegPath: string, denoiseModel?: string): Promise<void> {
  if (denoiseModel) await checkDenoiseModel(denoiseModel);
  const list = async (what: 'encoders' | 'filters') => {
    const result = await runProcess(ffmpegPath, ['-hide_banner', `-${what}`], {
      timeoutMs: 15000,
      stdout: 'capture',
    });
    return result.stdout?.toString('utf8') ?? '';
  };
  let encoders: string;
  let filters: string;
  try {
    [encoders, filters] = await Promise.all([list('encoders'), list('filters')]);
  } catch (error) {
    throw new Error(
      `ffmpeg could not be run at "${ffmpegPath}" (${(error as Error).message}). ` +
        'Install it (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) or set FFMPEG_PATH.',
    );
  }
  const missing = [
    ...NEEDED.encoders.filter((name) => !new RegExp(`\\s${name}\\s`).test(encoders)),
    ...NEEDED.filters.filter((name) => !new RegExp(`\\s${name}\\s`).test(filters)),
  ];
  if (missing.length > 0) {
    throw new Error(
      `ffmpeg at "${ffmpegPath}" lacks ${missing.join(', ')}. Use a full build (Debian's ffmpeg package has all of them).`,
    );
  }
}

async function checkDenoiseModel(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch {
    throw new Error(
      `DENOISE_MODEL "${file}" cannot be read. Give the absolute path of an RNNoise model (.rnnn), or leave it empty to use afftdn.`,
    );
  }
}
