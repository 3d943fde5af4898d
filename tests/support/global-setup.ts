import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Generates the audio fixtures once per run (the script skips work already done). */
export default async function globalSetup(): Promise<void> {
  const script = path.join(__dirname, '..', '..', 'scripts', 'make-fixtures.sh');
  if (existsSync(script)) execFileSync('bash', [script], { stdio: 'inherit' });
}
