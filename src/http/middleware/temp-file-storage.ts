import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

const HEAD_BYTES = 64;

/** What this engine adds to multer's file object. */
export interface TempFileInfo {
  path: string;
  size: number;
  sha256: string;
  head: Buffer;
}

/** Hashes, counts and keeps the first bytes of a stream as it passes through. */
class Inspector extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;

  get head(): Buffer {
    return Buffer.concat(this.headChunks).subarray(0, HEAD_BYTES);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.headLength < HEAD_BYTES) {
      this.headChunks.push(chunk.subarray(0, HEAD_BYTES - this.headLength));
      this.headLength += Math.min(chunk.length, HEAD_BYTES - this.headLength);
    }
    callback(null, chunk);
  }
}

/** One file being written for a request: how to stop it, and when it has stopped. */
interface ActiveWrite {
  target: string;
  stop: () => void;
  settled: Promise<void>;
}

/**
 * A multer storage engine that streams each file to a uniquely named temp file (never whole in
 * memory), hashing it on the way. Multer calls _removeFile on every error path, but on a cut-off
 * body it may answer before a write it did not know about yet has ended; `discard` ends and
 * removes every file of a request, so an error answer never leaves one behind.
 */
export class TempFileStorage implements StorageEngine {
  private readonly writes = new WeakMap<Request, Set<ActiveWrite>>();

  constructor(private readonly dir: string) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<Express.Multer.File> & TempFileInfo) => void,
  ): void {
    const target = path.join(this.dir, `upload-${randomUUID()}`);
    const inspector = new Inspector();
    const controller = new AbortController();
    const writing = pipeline(file.stream, inspector, createWriteStream(target, { flags: 'wx' }), {
      signal: controller.signal,
    });
    const write: ActiveWrite = {
      target,
      stop: () => controller.abort(),
      settled: writing.then(
        () => undefined,
        () => rm(target, { force: true }),
      ),
    };
    const mine = this.writes.get(req) ?? new Set<ActiveWrite>();
    this.writes.set(req, mine.add(write));
    writing.then(
      () =>
        callback(null, {
          path: target,
          size: inspector.size,
          sha256: inspector.hash.digest('hex'),
          head: inspector.head,
        }),
      (error: unknown) => {
        void write.settled.finally(() => callback(error));
      },
    );
  }

  /** Stops every write of this request and removes its files, finished or not. */
  async discard(req: Request): Promise<void> {
    const mine = [...(this.writes.get(req) ?? [])];
    this.writes.delete(req);
    for (const write of mine) write.stop();
    await Promise.all(
      mine.map(async (write) => {
        await write.settled;
        await rm(write.target, { force: true });
      }),
    );
  }

  _removeFile(
    _req: Request,
    file: Express.Multer.File,
    callback: (error: Error | null) => void,
  ): void {
    rm(file.path, { force: true }).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}
