import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  BlobNotFoundError,
  type BlobInfo,
  type BlobStore,
  type ByteRange,
  type DownloadLinkOptions,
} from './blob-store';
import { keys } from './keys';

const TEMP_DIR_NAME = '.tmp';

/** Blobs as files under one root directory; the embedded default. */
export class DiskBlobStore implements BlobStore {
  readonly driver = 'disk' as const;
  readonly root: string;
  /** Inside root so that rename() never crosses a filesystem. */
  readonly tempDir: string;

  constructor(root: string) {
    if (!path.isAbsolute(root)) throw new Error(`DiskBlobStore root must be absolute: ${root}`);
    this.root = root;
    this.tempDir = path.join(root, TEMP_DIR_NAME);
    mkdirSync(this.tempDir, { recursive: true });
  }

  async putFile(key: string, filePath: string, _contentType: string): Promise<void> {
    const target = this.pathOf(key);
    // Opening first makes a missing source fail before any temp file exists.
    const source = await open(filePath, 'r');
    try {
      await this.writeAtomically(target, async (out) => {
        for await (const chunk of source.createReadStream({ autoClose: false })) {
          await writeAll(out, chunk as Buffer);
        }
      });
    } finally {
      await source.close();
    }
  }

  async moveFile(key: string, filePath: string, contentType: string): Promise<void> {
    const target = this.pathOf(key);
    const file = await open(filePath, 'r+');
    try {
      if (!(await file.stat()).isFile()) throw new Error(`not a file: ${filePath}`);
      await file.sync(); // durable before it appears under its key, as writeAtomically does
    } finally {
      await file.close();
    }
    try {
      await this.renameIntoPlace(filePath, target);
    } catch (err) {
      // Another filesystem (TEMP_DIR elsewhere): copy, then let go of the file.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await this.putFile(key, filePath, contentType);
      await rm(filePath, { force: true });
    }
  }

  async putBytes(key: string, body: Buffer | string, _contentType: string): Promise<void> {
    await this.writeAtomically(this.pathOf(key), (out) => out.writeFile(body));
  }

  async getBytes(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async getStream(key: string, range?: ByteRange): Promise<Readable> {
    if (range) assertRange(range);
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
    // open() succeeds on a directory; a "directory key" is no object, as in S3.
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new BlobNotFoundError(key);
    }
    // fs treats `end` as inclusive, like HTTP Range; the stream closes the handle.
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size, contentType: undefined } : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    const dirs = new Set<string>();
    for (const key of await this.keysUnder(prefix)) {
      await this.delete(key);
      deleted += 1;
      for (let dir = path.posix.dirname(key); dir !== '.'; dir = path.posix.dirname(dir))
        dirs.add(dir);
    }
    // Deepest first, so a parent is tried only after its children are gone.
    for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
      await rmdir(path.join(this.root, dir)).catch((err: unknown) => {
        if (!hasCode(err, 'ENOTEMPTY', 'EEXIST', 'ENOENT')) throw err;
      });
    }
    return deleted;
  }

  async *list(prefix: string): AsyncIterable<string> {
    yield* await this.keysUnder(prefix);
  }

  async downloadLink(_key: string, _options: DownloadLinkOptions): Promise<string | undefined> {
    return undefined;
  }

  async check(): Promise<void> {
    const key = keys.healthProbe(randomUUID());
    const body = `probe ${new Date().toISOString()}`;
    try {
      await this.putBytes(key, body, 'text/plain');
      const read = await this.getBytes(key);
      if (read?.toString() !== body)
        throw new Error(`Storage at ${this.root} did not read back what was written`);
    } finally {
      await this.delete(key);
    }
  }

  /** Maps a key to its file, refusing anything that could escape root or touch temp files. */
  private pathOf(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  private async writeAtomically(
    target: string,
    fill: (out: FileHandle) => Promise<void>,
  ): Promise<void> {
    const temp = path.join(this.tempDir, `${randomUUID()}.part`);
    try {
      const out = await open(temp, 'wx');
      try {
        await fill(out);
        await out.sync();
      } finally {
        await out.close();
      }
      await this.renameIntoPlace(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }

  private async renameIntoPlace(temp: string, target: string): Promise<void> {
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true });
    try {
      await rename(temp, target);
    } catch (err) {
      // A concurrent deletePrefix may have pruned the directory between mkdir and rename.
      if (!isNotFound(err)) throw err;
      await mkdir(dir, { recursive: true });
      await rename(temp, target);
    }
    // Makes the rename itself durable, not just the file's bytes.
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  /** Every key starting with prefix, sorted as a whole: a per-directory walk would put `a/b/c` before `a/b.txt`. */
  private async keysUnder(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf('/');
    const base = slash < 0 ? '' : prefix.slice(0, slash);
    if (base !== '') assertKey(base);
    const found: string[] = [];
    const walk = async (relDir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(path.join(this.root, relDir), { withFileTypes: true });
      } catch (err) {
        if (hasCode(err, 'ENOENT', 'ENOTDIR')) return;
        throw err;
      }
      for (const entry of entries) {
        const key = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
        if (key === TEMP_DIR_NAME) continue;
        // Below base the prefix has no more slashes, so this prunes only siblings that cannot match.
        if (entry.isDirectory()) {
          if (`${key}/`.startsWith(prefix)) await walk(key);
        } else if (entry.isFile() && key.startsWith(prefix)) found.push(key);
      }
    };
    await walk(base);
    return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

function assertKey(key: string): void {
  const segments = key.split('/');
  const bad =
    key === '' ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    segments[0] === TEMP_DIR_NAME ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw new Error(`Refusing storage key ${JSON.stringify(key)}`);
}

function assertRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Bad byte range ${start}-${end}`);
  }
}

async function writeAll(out: FileHandle, chunk: Buffer): Promise<void> {
  // write() may write fewer bytes than asked; loop until the chunk is out.
  for (let offset = 0; offset < chunk.length;) {
    const { bytesWritten } = await out.write(chunk, offset);
    offset += bytesWritten;
  }
}

function hasCode(err: unknown, ...codes: string[]): boolean {
  // Structural, not instanceof Error: fs errors may come from another realm (jest's vm sandbox).
  const code =
    typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && codes.includes(code);
}

function isNotFound(err: unknown): boolean {
  // ENOTDIR: a path segment is a file (key `a/b` when `a` is an object); EISDIR: the key names a directory.
  return hasCode(err, 'ENOENT', 'ENOTDIR', 'EISDIR');
}
