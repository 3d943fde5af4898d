import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';

/** What an installer needs to know of a model: where it comes from and what it must hash to. */
export interface ModelDownload {
  url: string;
  file: string;
  bytes: number;
  sha256: string;
}

export type ModelInstallErrorCode =
  | 'MODEL_CHECKSUM_MISMATCH'
  | 'MODEL_DOWNLOAD_INTERRUPTED'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'MODEL_INSTALL_BUSY';

export class ModelInstallError extends Error {
  constructor(
    readonly code: ModelInstallErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelInstallError';
  }
}

export interface InstallOptions {
  /** Gives up when no byte arrives for this long; what arrived is kept for the next try. */
  stallMs?: number;
  onProgress?: (received: number, total: number) => void;
}

export interface InstallResult {
  path: string;
  /** Where the download picked up a previous, interrupted one (0: from the start). */
  resumedFrom: number;
  alreadyInstalled: boolean;
}

/** The partial download lives beside the models, so the final rename never crosses a disk. */
const partialDir = (dir: string) => path.join(dir, '.partial');

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk);
  return hash.digest('hex');
}

/** The file's size in bytes, or -1 where there is none. */
export async function fileSize(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => -1,
  );
}

/** One installer per models folder at a time; a lock left by a dead process is taken over. */
async function takeLock(lock: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(await readFile(lock, 'utf8').catch(() => ''));
      if (pid > 0 && isAlive(pid)) break;
      await rm(lock, { force: true });
    }
  }
  throw new ModelInstallError(
    'MODEL_INSTALL_BUSY',
    'another "hallo models install" is running for this folder; wait for it to finish',
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes the response body to `part` from byte `startAt` (appending to what is there), giving up
 * after `stallMs` of silence; returns the part's size when the body ends.
 */
async function receive(
  response: Response,
  part: string,
  startAt: number,
  model: ModelDownload,
  abort: AbortController,
  options: InstallOptions,
): Promise<number> {
  const out = createWriteStream(part, { flags: startAt > 0 ? 'a' : 'w' });
  let received = startAt;
  const stallMs = options.stallMs ?? 60_000;
  let timer = setTimeout(() => abort.abort(), stallMs);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(), stallMs);
      received += chunk.length;
      if (received > model.bytes) {
        throw new ModelInstallError(
          'MODEL_CHECKSUM_MISMATCH',
          `the server sent more than the ${model.bytes} bytes ${model.file} has; nothing was installed`,
        );
      }
      if (!out.write(chunk)) await once(out, 'drain');
      options.onProgress?.(received, model.bytes);
    }
  } finally {
    clearTimeout(timer);
    out.end();
    await once(out, 'close');
  }
  return received;
}

/**
 * Downloads `model` into `dir`: resumes a previous partial download with an HTTP range request,
 * checks the size and the SHA-256, and only then renames the file into place. A file that hashes
 * wrong is deleted; an interrupted one is kept for the next run to resume.
 */
export async function installModel(
  model: ModelDownload,
  dir: string,
  options: InstallOptions = {},
): Promise<InstallResult> {
  const target = path.join(dir, model.file);
  await mkdir(partialDir(dir), { recursive: true });
  const release = await takeLock(path.join(partialDir(dir), '.lock'));
  try {
    if ((await fileSize(target)) === model.bytes && (await sha256OfFile(target)) === model.sha256) {
      return { path: target, resumedFrom: 0, alreadyInstalled: true };
    }
    const part = path.join(partialDir(dir), `${model.file}.part`);
    let have = Math.max(0, await fileSize(part));
    if (have > model.bytes) {
      await rm(part, { force: true });
      have = 0;
    }
    let resumedFrom = 0;
    let got = have;
    if (have < model.bytes) {
      const abort = new AbortController();
      let response: Response;
      try {
        response = await fetch(model.url, {
          headers: have > 0 ? { range: `bytes=${have}-` } : {},
          signal: abort.signal,
          redirect: 'follow',
        });
      } catch (error) {
        throw new ModelInstallError(
          'MODEL_DOWNLOAD_FAILED',
          `could not reach ${new URL(model.url).host}: ${(error as Error).cause ?? (error as Error).message}`,
        );
      }
      // 206 continues the partial file; 200 means the server sends it whole again.
      const resumes = response.status === 206 && have > 0;
      if (response.status !== 200 && !resumes) {
        await response.body?.cancel();
        if (response.status === 416) await rm(part, { force: true });
        throw new ModelInstallError(
          'MODEL_DOWNLOAD_FAILED',
          `${new URL(model.url).host} answered ${response.status} for ${model.file}`,
        );
      }
      resumedFrom = resumes ? have : 0;
      try {
        got = await receive(response, part, resumedFrom, model, abort, options);
      } catch (error) {
        if (error instanceof ModelInstallError) {
          await rm(part, { force: true });
          throw error;
        }
        const kept = Math.max(0, await fileSize(part));
        throw new ModelInstallError(
          'MODEL_DOWNLOAD_INTERRUPTED',
          `the download of ${model.file} stopped at ${kept} of ${model.bytes} bytes` +
            `${abort.signal.aborted ? ' (nothing arrived for a while)' : ''}; run the same command again to resume`,
        );
      }
    }
    if (got !== model.bytes) {
      throw new ModelInstallError(
        'MODEL_DOWNLOAD_INTERRUPTED',
        `the download of ${model.file} ended at ${got} of ${model.bytes} bytes; run the same command again to resume`,
      );
    }
    const actual = await sha256OfFile(part);
    if (actual !== model.sha256) {
      await rm(part, { force: true });
      throw new ModelInstallError(
        'MODEL_CHECKSUM_MISMATCH',
        `${model.file} has SHA-256 ${actual}, not the pinned ${model.sha256}; the download was deleted`,
      );
    }
    const handle = await open(part, 'r');
    await handle.sync();
    await handle.close();
    await rename(part, target);
    return { path: target, resumedFrom, alreadyInstalled: false };
  } finally {
    await release();
  }
}
