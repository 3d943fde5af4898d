import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultEngineScript } from '../../src/transcripts/run-engine';

/**
 * Engine process scripts in the real one's place: one that aborts as a broken native engine does,
 * one that never answers, and the real engine after a pause (to be caught mid-run).
 */
export function engineStandIn(kind: 'crash' | 'hang' | { delayMs: number }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-engine-'));
  const file = path.join(dir, 'engine.js');
  const body =
    kind === 'crash'
      ? `process.stderr.write('ggml: tensor shape mismatch\\n'); process.abort();`
      : kind === 'hang'
        ? `setInterval(() => undefined, 1000);`
        : `setTimeout(() => require(${JSON.stringify(defaultEngineScript())}), ${kind.delayMs});`;
  writeFileSync(file, `${body}\n`);
  return file;
}
