import { runProcess } from '../audio/run-process';

const NEEDED = {
  encoders: ['pcm_s24le', 'pcm_f32le', 'libmp3lame'],
  filters: ['alimiter', 'highpass', 'aformat', 'aresample', 'atrim', 'afade', 'asplit', 'volume'],
};

/** Fails with a fix-it message when ffmpeg is missing or lacks what the worker needs. */
export async function checkFfmpeg(ffmpegPath: string): Promise<void> {
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
