import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// LibreOffice's CSV filter options: comma, double quote, UTF-8, from line 1, standard cells,
// quoted fields as text off, special numbers on, and (12th) evaluate formulas: as a user's Calc does.
const IMPORT = 'CSV:44,34,76,1,,0,false,true,false,false,false,true';
const EXPORT = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

/**
 * Opens a CSV in LibreOffice Calc (headless) and saves what its cells then show, formulas
 * evaluated, as CSV again: what an editor would see after double-clicking clips.csv.
 */
export async function openInCalc(csv: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hallo-calc-'));
  try {
    await writeFile(path.join(dir, 'clips.csv'), csv);
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        `--infilter=${IMPORT}`,
        '--convert-to',
        EXPORT,
        '--outdir',
        path.join(dir, 'out'),
        path.join(dir, 'clips.csv'),
      ],
      { timeout: 60000 },
    );
    const [sheet] = await readdir(path.join(dir, 'out'));
    if (!sheet) throw new Error('LibreOffice wrote no sheet');
    return await readFile(path.join(dir, 'out', sheet), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
