/** What the worker asks of the engine process (see engine-process.ts). */
export interface EngineRequest {
  modelFile: string;
  /** 16 kHz mono float32 little-endian samples. */
  pcmFile: string;
  /** `auto` or a language code. */
  language: string;
  threads: number;
  /** Caps decoded tokens per segment (the benchmark holds the count fixed with it). */
  maxTokens?: number;
}

export interface EngineToken {
  text: string;
  id: number;
  p: number;
  /** Milliseconds. */
  from?: number;
  to?: number;
}

/** One segment as whisper.cpp gives it: times in milliseconds. */
export interface EngineSegment {
  from: number;
  to: number;
  text: string;
  lang: string;
  tokens: EngineToken[];
}

export type EngineResponse =
  | { ok: true; loadSeconds: number; runSeconds: number; segments: EngineSegment[] }
  | { ok: false; code: 'NO_ENGINE' | 'ENGINE_FAILED'; message: string };
