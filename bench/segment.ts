/**
 * bench/segment: the episode's voice segment from 10, 50 and 200 rendered one-minute clips
 * (renderSegment: the WAV written sample for sample, the MP3 joined by one ffmpeg copy), against
 * a floor measured in the same run: streaming the same input bytes into two files, which any
 * join must at least do. Also, once, what encoding the MP3 again would cost for 10 clips.
 * Prints wall time, ratio to the floor, and the peak resident memory of this process with its
 * ffmpeg children. Goal: under 3 s for 50 clips, memory flat in the number of clips.
 * Run: npm run bench:segment  (BENCH_CLIPS=10,50 for a subset)
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { runProcess } from '../src/audio/run-process';
import { transcodeToClips } from '../src/audio/transcode';
import { loadConfig } from '../src/config';
import { renderSegment, type SegmentInput } from '../src/episodes/render-segment';
import { clipRenderOptions } from '../src/submissions/clip-render-options';
import { chromeWebm, ensureSpeech } from './support/audio';
import { treeRssMb, watchPeakRss } from './support/processes';

const COUNTS = (process.env.BENCH_CLIPS ?? '10,50,200').split(',').map(Number);
const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-bench-segment-'));

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; peakMb: number }> {
  const memory = watchPeakRss(process.pid, 10, treeRssMb);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  return { seconds, peakMb: memory.stop() };
}

/** The floor: the clips' bytes streamed into one WAV and one MP3 file, nothing else. */
async function copyFloor(inputs: SegmentInput[], out: string) {
  for (const [kind, pick] of [
    ['wav', (i: SegmentInput) => i.wavPath],
    ['mp3', (i: SegmentInput) => i.mp3Path],
  ] as const) {
    const target = createWriteStream(path.join(out, `floor.${kind}`));
    for (const input of inputs)
      await pipeline(createReadStream(pick(input)), target, { end: false });
    await new Promise((resolve) => target.end(resolve));
  }
}

async function main() {
  ensureSpeech();
  const config = loadConfig({ ADMIN_TOKEN: 'bench-admin-token-0123456789' });
  const clipDir = path.join(dir, 'clip');
  await mkdir(clipDir);
  const clip = await transcodeToClips(
    chromeWebm(60, path.join(dir, 'minute.webm')),
    'webm',
    clipDir,
    clipRenderOptions(config, 'auto', undefined),
  );
  console.log(`one clip: ${clip.durationSeconds.toFixed(1)} s, rendered once and used N times`);
  console.log(`RSS of this process before joining: ${treeRssMb(process.pid).toFixed(0)} MB`);
  console.log('clips | segment s | floor s | ratio | peak RSS MB (node + ffmpeg) | per clip ms');
  for (const count of COUNTS) {
    const inputs = Array.from({ length: count }, (_, i) => ({
      wavPath: clip.wavPath,
      mp3Path: clip.mp3Path,
      title: `Hörerin ${i + 1} — Thema`,
    }));
    const out = path.join(dir, `n${count}`);
    await mkdir(out);
    const floor = await timed(() => copyFloor(inputs, out));
    const segment = await timed(() =>
      renderSegment(inputs, out, {
        ffmpegPath: config.FFMPEG_PATH,
        timeoutMs: 600_000,
        gapSeconds: config.SEGMENT_GAP_SECONDS,
        title: 'Folge 42',
      }),
    );
    console.log(
      `${String(count).padStart(5)} | ${segment.seconds.toFixed(2).padStart(9)} | ${floor.seconds
        .toFixed(2)
        .padStart(
          7,
        )} | ${(segment.seconds / floor.seconds).toFixed(1).padStart(5)} | ${segment.peakMb
        .toFixed(0)
        .padStart(27)} | ${((segment.seconds / count) * 1000).toFixed(0).padStart(11)}`,
    );
    rmSync(out, { recursive: true, force: true });
  }

  // What the copy saves: the 10-clip segment's MP3 encoded again from its WAV.
  const ten = path.join(dir, 'reencode');
  await mkdir(ten);
  const inputs = Array.from({ length: 10 }, () => ({
    wavPath: clip.wavPath,
    mp3Path: clip.mp3Path,
  }));
  const files = await renderSegment(inputs, ten, {
    ffmpegPath: config.FFMPEG_PATH,
    timeoutMs: 600_000,
    gapSeconds: config.SEGMENT_GAP_SECONDS,
    title: 'Folge 42',
  });
  const reencode = await timed(() =>
    runProcess(
      config.FFMPEG_PATH,
      [
        '-v',
        'error',
        '-i',
        files.wav,
        '-c:a',
        'libmp3lame',
        '-b:a',
        '96k',
        '-y',
        path.join(ten, 'again.mp3'),
      ],
      { timeoutMs: 600_000, stdout: 'ignore' },
    ),
  );
  console.log(
    `encoding the 10-clip MP3 again instead of copying: ${reencode.seconds.toFixed(2)} s (50 clips ≈ ${(reencode.seconds * 5).toFixed(1)} s)`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
