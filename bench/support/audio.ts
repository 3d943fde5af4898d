import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SPEECH = path.join(ROOT, 'tests/fixtures/generated/speech.wav');

/** Generates the test fixtures (speech.wav among them) if they are not there yet. */
export function ensureSpeech(): void {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'make-fixtures.sh')], { stdio: 'inherit' });
}

/** Looped speech encoded with `encode` (ffmpeg output options), written to `file`. */
export function speech(seconds: number, encode: string[], file: string): string {
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-stream_loop', '-1', '-i', SPEECH, '-t', String(seconds)],
    ...encode,
    ...['-y', file],
  ]);
  return file;
}

/**
 * Chrome's MediaRecorder: mono Opus in WebM written as a stream, so without duration or cues
 * (ffmpeg writes both when its output is a seekable file).
 */
export function chromeWebm(seconds: number, file: string): string {
  execFileSync('sh', [
    '-c',
    `ffmpeg -v error -stream_loop -1 -i '${SPEECH}' -t ${seconds} -ac 1 -c:a libopus -b:a 48k -f webm pipe:1 > '${file}'`,
  ]);
  return file;
}
