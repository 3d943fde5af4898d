/**
 * bench/transcribe: the speech engine as hallo runs it (its own process, whisper.cpp through
 * smart-whisper) on 20 s of speech, for the default and the quality model at their real dimensions.
 * The models are written here with random weights in the published shapes (a random file of the
 * same shape costs the same compute) and made to decode exactly 3 tokens per second of audio, so
 * that random weights do not cut the decoding short. Prints model load time, the run's real-time
 * factor (baseline: the clip's own length, 1.0 = as long as the clip) on 1 and 2 threads, with the
 * language detected (`auto`, hallo's default) and given (`de`), the tokens decoded and the peak
 * memory of the engine process.
 * Where MODELS_DIR holds a real installed model, it also transcribes a German and an English
 * sentence spoken by espeak-ng and prints the word error rate; otherwise it says that it cannot.
 * Goal for the default model: at most 0.5x real time on one thread, at most 1 GB.
 * Run: npm run bench:transcribe  (BENCH_MODELS=base-q5_1,small-q5_1,large-v3-turbo-q5_0)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { fileSize } from '../src/transcripts/install-model';
import { catalogueModel, MODEL_CATALOGUE } from '../src/transcripts/model-catalogue';
import { modelsDirOf } from '../src/transcripts/model-file';
import { defaultEngineScript, runEngine } from '../src/transcripts/run-engine';
import { realShapes, writeGgmlModel } from '../tests/support/ggml-test-model';
import { ensureSpeech, speech } from './support/audio';
import { treeRssMb, watchPeakRss } from './support/processes';
import { wordErrorRate } from './support/word-error-rate';

const SECONDS = 20;
const TOKENS = 3 * SECONDS;
const MODELS = (process.env.BENCH_MODELS ?? 'base-q5_1,large-v3-turbo-q5_0').split(',');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-bench-transcribe-'));
const script = defaultEngineScript();
const RAW = ['-ac', '1', '-ar', '16000', '-c:a', 'pcm_f32le', '-f', 'f32le'];

async function engine(
  modelFile: string,
  pcmFile: string,
  threads: number,
  language: string,
  maxTokens?: number,
) {
  const memory = watchPeakRss(process.pid, 50, treeRssMb);
  const run = await runEngine(
    script,
    { modelFile, pcmFile, language, threads, ...(maxTokens && { maxTokens }) },
    { timeoutMs: 3600_000 },
  );
  const tokens = run.segments
    .flatMap((s) => s.tokens)
    .filter((t) => t.id < 50257 && !/^\[_/.test(t.text)).length;
  return { ...run, tokens, peakMb: memory.stop() };
}

async function speed(): Promise<void> {
  const pcm = speech(SECONDS, RAW, path.join(dir, 'speech.f32'));
  console.log(
    `\n${SECONDS} s of speech, ${TOKENS} tokens decoded per run, ${os.cpus().length} cores`,
  );
  console.log(
    'model                  language  threads  load s  run s  real-time factor  tokens  peak MB',
  );
  for (const name of MODELS) {
    const shape = realShapes[name as keyof typeof realShapes];
    if (!shape) throw new Error(`no real shape for ${name}`);
    const file = path.join(dir, `${name}.bin`);
    await writeGgmlModel(file, shape, 1, true);
    // `auto` detects the language first, which costs whisper.cpp one more encoder pass.
    for (const [language, threads] of [
      ['auto', 1],
      ['auto', 2],
      ['de', 1],
      ['de', 2],
    ] as const) {
      const run = await engine(file, pcm, threads, language, TOKENS);
      const rtf = run.runSeconds / SECONDS;
      console.log(
        `${name.padEnd(22)} ${language.padEnd(8)}  ${String(threads).padStart(7)}  ${run.loadSeconds.toFixed(2).padStart(6)}  ${run.runSeconds.toFixed(1).padStart(5)}  ${rtf.toFixed(2).padStart(16)}  ${String(run.tokens).padStart(6)}  ${String(Math.round(run.peakMb)).padStart(7)}`,
      );
    }
    rmSync(file, { force: true });
  }
}

const SENTENCES = {
  de: 'Hallo liebes Podcast Team, ich höre euch jeden Morgen auf dem Weg zur Arbeit und wollte einfach mal danke sagen.',
  en: 'Hello dear podcast team, I listen to you every morning on my way to work and just wanted to say thank you.',
};

async function quality(): Promise<void> {
  const modelsDir = modelsDirOf(loadConfig(process.env));
  const installed = [];
  for (const m of MODEL_CATALOGUE)
    if ((await fileSize(path.join(modelsDir, m.file))) === m.bytes) installed.push(m.name);
  if (installed.length === 0) {
    console.log(
      `\nword error rate: not measured. No real model is installed in ${modelsDir} (hallo models install base-q5_1), and random weights say nothing about quality.`,
    );
    return;
  }
  console.log('\nword error rate (espeak-ng voices, one sentence each)');
  for (const name of installed) {
    const model = catalogueModel(name)!;
    for (const [language, text] of Object.entries(SENTENCES)) {
      const wav = path.join(dir, `${language}.wav`);
      execFileSync('espeak-ng', ['-v', language, '-w', wav, text]);
      const pcm = path.join(dir, `${language}.f32`);
      execFileSync('ffmpeg', ['-v', 'error', '-i', wav, ...RAW, '-y', pcm]);
      const run = await engine(path.join(modelsDir, model.file), pcm, 2, 'auto');
      const heard = run.segments.map((s) => s.text).join(' ');
      const lang = run.segments[0]?.lang ?? '?';
      console.log(
        `${name.padEnd(22)} ${language}: WER ${(wordErrorRate(text, heard) * 100).toFixed(1)} % (detected ${lang})`,
      );
    }
  }
}

async function main(): Promise<void> {
  ensureSpeech();
  try {
    await speed();
    await quality();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
