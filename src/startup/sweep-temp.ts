import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';

/** Older than any upload or job can run: what is left this long belonged to a killed process. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/** Removes temp files and job folders that a killed process left behind. */
export async function sweepTempDir(dir: string, logger: Logger, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const entry = path.join(dir, name);
    const info = await stat(entry).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_AFTER_MS) {
      await rm(entry, { recursive: true, force: true });
      removed += 1;
    }
  }
  if (removed > 0) logger.info({ removed, dir }, 'removed stale temp files');
  return removed;
}
