// The speech engine in a process of its own: a model that crashes it (whisper.cpp aborts on some
// malformed files) or a run that hangs costs only this process, which the worker kills.
// Protocol: one JSON request as argv[2]; one JSON line on stdout; exit 0 on success.
import { readFile } from 'node:fs/promises';
import type { EngineRequest, EngineResponse, EngineSegment } from './engine-protocol';

/** The part of smart-whisper used here; typed locally so hallo builds where the engine is absent. */
interface Binding {
  WhisperModel: { load(file: string, gpu: boolean): Promise<{ free(): Promise<void> }> };
  TranscribeTask: {
    run(
      model: unknown,
      pcm: Float32Array,
      params: Record<string, unknown>,
    ): Promise<{ result: Promise<RawSegment[]> }>;
  };
}

interface RawSegment {
  from: number;
  to: number;
  text: string;
  lang: string;
  tokens: { text: string; id: number; p: number; from?: number; to?: number }[];
}

// A variable, so that TypeScript does not resolve the optional package at build time.
const ENGINE_PACKAGE = 'smart-whisper';

function reply(response: EngineResponse): void {
  process.stdout.write(`${JSON.stringify(response)}\n`);
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as EngineRequest;
  let engine: Binding;
  try {
    engine = (await import(ENGINE_PACKAGE)) as Binding;
  } catch (error) {
    reply({ ok: false, code: 'NO_ENGINE', message: String((error as Error).message) });
    process.exitCode = 3;
    return;
  }
  const bytes = await readFile(request.pcmFile);
  const pcm = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const loadStarted = performance.now();
  const model = await engine.WhisperModel.load(request.modelFile, false);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const runStarted = performance.now();
  const task = await engine.TranscribeTask.run(model, pcm, {
    language: request.language,
    format: 'detail',
    token_timestamps: true,
    n_threads: request.threads,
    // Greedy without fallback: a second pass at higher temperature doubles the time for a
    // result the author corrects by hand anyway.
    temperature_inc: 0,
    suppress_non_speech_tokens: true,
    ...(request.maxTokens !== undefined && { max_tokens: request.maxTokens }),
  });
  const results = await task.result;
  const runSeconds = (performance.now() - runStarted) / 1000;
  await model.free();
  const segments: EngineSegment[] = results.map((r) => ({
    from: r.from,
    to: r.to,
    text: r.text,
    lang: r.lang,
    tokens: r.tokens.map((t) => ({ text: t.text, id: t.id, p: t.p, from: t.from, to: t.to })),
  }));
  reply({ ok: true, loadSeconds, runSeconds, segments });
}

main().catch((error: unknown) => {
  reply({ ok: false, code: 'ENGINE_FAILED', message: String((error as Error)?.message ?? error) });
  process.exitCode = 1;
});
