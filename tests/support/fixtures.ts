import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'make-fixtures.sh');
export const FIXTURES_DIR = path.join(ROOT, 'tests', 'fixtures', 'generated');

let ensured = false;

/** Runs scripts/make-fixtures.sh (idempotent, locked against parallel workers) once per process. */
export function ensureFixtures(): void {
  if (ensured) return;
  execFileSync('bash', [SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
  ensured = true;
}

/** Absolute path of a generated fixture, e.g. fixture('chrome.webm'). */
export function fixture(name: string): string {
  const file = path.join(FIXTURES_DIR, name);
  if (!existsSync(file)) ensureFixtures();
  return file;
}

/** The first bytes of a fixture, as a sniffer would see them. */
export function fixtureHead(name: string, bytes = 64): Buffer {
  return readFileSync(fixture(name)).subarray(0, bytes);
}

export interface Ebur128 {
  integratedLufs: number;
  truePeakDbtp: number;
  loudnessRangeLu: number;
}

/** Independent reference: ffmpeg's ebur128 with true peak, as a podcaster's tools would measure. */
export function ebur128(file: string, inputOptions: string[] = []): Ebur128 {
  const result = spawnSync(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-nostats',
      ...inputOptions,
      '-i',
      file,
      '-af',
      'ebur128=peak=true',
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`ebur128 failed on ${file}: ${result.stderr.slice(-500)}`);
  const summary = result.stderr.slice(result.stderr.lastIndexOf('Summary:'));
  const value = (label: string): number => {
    const m = new RegExp(`^\\s+${label}:\\s+(-?[\\d.]+|-inf)`, 'm').exec(summary);
    if (!m?.[1]) throw new Error(`no ${label} in ebur128 summary of ${file}`);
    return m[1] === '-inf' ? -Infinity : Number(m[1]);
  };
  return { integratedLufs: value('I'), truePeakDbtp: value('Peak'), loudnessRangeLu: value('LRA') };
}

export interface ProbedStream {
  codec_name: string;
  sample_rate: string;
  channels: number;
  duration?: string;
}

/** ffprobe's view of the first audio stream. */
export function probeAudio(file: string): ProbedStream {
  const out = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      'a:0',
      '-show_entries',
      'stream=codec_name,sample_rate,channels,duration',
      '-of',
      'json',
      file,
    ],
    { encoding: 'utf8' },
  );
  const parsed = JSON.parse(out) as { streams: ProbedStream[] };
  const stream = parsed.streams[0];
  if (!stream) throw new Error(`no audio stream in ${file}`);
  return stream;
}

/** A fixture repeated `times` over into `file`, packets copied: a long message made in a moment. */
export function loopedFixture(name: string, times: number, file: string): string {
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-stream_loop', String(times - 1), '-i', fixture(name)],
    ...['-c', 'copy', '-f', 'webm', '-y', file],
  ]);
  return file;
}
