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
