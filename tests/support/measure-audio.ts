import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface StreamFacts {
  codec: string;
  channels: number;
  sampleRate: number;
  durationSeconds: number;
}

/** ffprobe's view of the first audio stream, independent of the code under test. */
export async function probe(file: string): Promise<StreamFacts> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-show_entries',
    'stream=codec_name,channels,sample_rate:format=duration',
    '-of',
    'json',
    file,
  ]);
  const json = JSON.parse(stdout) as {
    streams: { codec_name: string; channels: number; sample_rate: string }[];
    format: { duration: string };
  };
  const stream = json.streams[0];
  if (!stream) throw new Error(`no audio stream in ${file}`);
  return {
    codec: stream.codec_name,
    channels: stream.channels,
    sampleRate: Number(stream.sample_rate),
    durationSeconds: Number(json.format.duration),
  };
}

/** EBU R128 integrated loudness and true peak, measured by ffmpeg's ebur128 filter. */
export async function loudness(
  file: string,
): Promise<{ integratedLufs: number; truePeakDbtp: number }> {
  const { stderr } = await run(
    'ffmpeg',
    ['-nostdin', '-hide_banner', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1];
  const peak = /True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1];
  if (integrated === undefined || peak === undefined)
    throw new Error(`no ebur128 summary for ${file}:\n${summary}`);
  return { integratedLufs: Number(integrated), truePeakDbtp: Number(peak) };
}

export interface Passage {
  startSeconds: number;
  endSeconds: number;
  integratedLufs: number;
}

/**
 * The spoken passages of a clip, split at pauses of at least `minPauseSeconds` that ffmpeg's
 * silencedetect finds below `pauseDb`, each measured with ebur128: independent of hallo's own
 * voice detection and levelling.
 */
export async function passages(
  file: string,
  { minPauseSeconds = 0.6, pauseDb = -40 } = {},
): Promise<Passage[]> {
  const { stderr } = await run(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-nostats',
      '-i',
      file,
      '-af',
      `silencedetect=n=${pauseDb}dB:d=${minPauseSeconds}`,
      '-f',
      'null',
      '-',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const { durationSeconds } = await probe(file);
  const starts = [...stderr.matchAll(/silence_start: (-?[\d.]+)/g)].map((m) => Number(m[1]));
  const ends = [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  const spans: Array<[number, number]> = [];
  let from = 0;
  starts.forEach((start, i) => {
    if (start > from + 0.05) spans.push([from, start]);
    from = ends[i] ?? durationSeconds;
  });
  if (durationSeconds > from + 0.05) spans.push([from, durationSeconds]);
  const measured: Passage[] = [];
  for (const [start, end] of spans) {
    // ebur128 needs 400 ms blocks; a shorter span is a click or a breath, not a passage.
    if (end - start < 0.5) continue;
    const { stderr: out } = await run(
      'ffmpeg',
      [
        '-nostdin',
        '-hide_banner',
        '-nostats',
        '-ss',
        String(start),
        '-to',
        String(end),
        '-i',
        file,
        '-af',
        'ebur128',
        '-f',
        'null',
        '-',
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const summary = out.slice(out.lastIndexOf('Summary:'));
    const lufs = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
    measured.push({ startSeconds: start, endSeconds: end, integratedLufs: lufs });
  }
  return measured;
}
