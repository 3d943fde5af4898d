import path from 'node:path';
import { ProcessFailedError, runProcess } from '../audio/run-process';
import type { EngineRequest, EngineResponse, EngineSegment } from './engine-protocol';

/**
 * The engine process's script. Run from the TypeScript sources (tests, `tsx`), the compiled copy
 * in dist/ is used: a child cannot run .ts without a loader, and `npm run build` makes it.
 */
export function defaultEngineScript(): string {
  return __filename.endsWith('.ts')
    ? path.resolve(__dirname, '../../dist/transcripts/engine-process.js')
    : path.join(__dirname, 'engine-process.js');
}

export class EngineError extends Error {
  constructor(
    readonly code: 'NO_ENGINE' | 'ENGINE_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface EngineRun {
  loadSeconds: number;
  runSeconds: number;
  segments: EngineSegment[];
}

function parseResponse(stdout: string): EngineResponse | undefined {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as EngineResponse;
  } catch {
    return undefined;
  }
}

/**
 * Runs the engine process once and returns its segments. A crash, a hang past the timeout or an
 * abort kills the process (and its whole group) and throws.
 */
export async function runEngine(
  script: string,
  request: EngineRequest,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<EngineRun> {
  const chunks: Buffer[] = [];
  const stdout = (chunk: Buffer) => void chunks.push(chunk);
  let response: EngineResponse | undefined;
  try {
    await runProcess(process.execPath, [script, JSON.stringify(request)], { ...options, stdout });
    response = parseResponse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    response = parseResponse(Buffer.concat(chunks).toString('utf8'));
    if (!(error instanceof ProcessFailedError) || !response || response.ok) throw error;
  }
  if (!response) throw new EngineError('ENGINE_FAILED', 'the speech engine gave no answer');
  if (!response.ok) throw new EngineError(response.code, response.message);
  return response;
}
