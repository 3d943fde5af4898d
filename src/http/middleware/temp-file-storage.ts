import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

const HEAD_BYTES = 64;

/**
 * Looks at a file while it arrives (the upload check). `write` resolves when it can take the
 * next chunk, which is how a slow check slows the upload instead of buffering it; a rejection
 * refuses the upload at once.
 */
export interface ArrivingFileCheck<Verdict> {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<Verdict>;
  abort(): void;
}

/** What this engine adds to multer's file object. */
export interface TempFileInfo<Verdict = unknown> {
  path: string;
  size: number;
  sha256: string;
  head: Buffer;
  /** The check's verdict, where a check ran while the file arrived. */
  verdict?: Verdict;
}

/** Hashes, counts, keeps the first bytes of a stream and feeds the check as it passes through. */
class Inspector<Verdict> extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  verdict: Verdict | undefined;
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly check: ArrivingFileCheck<Verdict> | undefined) {
    super();
  }

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
    // The file gets the chunk now; the next one is taken when the check is ready for it.
    this.push(chunk);
    if (!this.check) return callback();
    this.check.write(chunk).then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.check) return callback();
    this.check.end().then((verdict) => {
      this.verdict = verdict;
      callback();
    }, callback);
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
export class TempFileStorage<Verdict = unknown> implements StorageEngine {
  private readonly writes = new WeakMap<Request, Set<ActiveWrite>>();

  constructor(
    private readonly dir: string,
    /** Where given, each file is checked while it arrives. */
    private readonly check?: (req: Request) => ArrivingFileCheck<Verdict>,
  ) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    callback: (
      error?: unknown,
      info?: Partial<Express.Multer.File> & TempFileInfo<Verdict>,
    ) => void,
  ): void {
    const target = path.join(this.dir, `upload-${randomUUID()}`);
    const check = this.check?.(req);
    const inspector = new Inspector(check);
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
          ...(inspector.verdict !== undefined && { verdict: inspector.verdict }),
        }),
      (error: unknown) => {
        check?.abort();
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
