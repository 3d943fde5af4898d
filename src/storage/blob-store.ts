import type { Readable } from 'node:stream';

export interface BlobInfo {
  size: number;
  contentType: string | undefined;
}

export interface ByteRange {
  start: number;
  /** Inclusive, like HTTP Range. */
  end: number;
}

export interface DownloadLinkOptions {
  /** Sent as Content-Disposition: attachment; filename=… */
  filename: string;
  contentType: string;
}

/**
 * Where hallo keeps every byte it must not lose. Keys come from storage/keys.ts only.
 * Implementations: disk-blob-store.ts (embedded default) and s3-blob-store.ts; both pass
 * tests/integration/blob-store-contract.test.ts.
 */
export interface BlobStore {
  readonly driver: 'disk' | 's3';
  /** Streams a local file into the store under `key`; the key never holds a partial object. */
  putFile(key: string, filePath: string, contentType: string): Promise<void>;
  /**
   * Like putFile, but takes the file over: once it resolves, `filePath` is gone (on disk it is
   * renamed into place where it can be, which spares a copy of every upload). On failure the
   * file is left where it was.
   */
  moveFile(key: string, filePath: string, contentType: string): Promise<void>;
  putBytes(key: string, body: Buffer | string, contentType: string): Promise<void>;
  /** undefined when the key does not exist. */
  getBytes(key: string): Promise<Buffer | undefined>;
  /** Rejects with BlobNotFoundError when the key does not exist. */
  getStream(key: string, range?: ByteRange): Promise<Readable>;
  head(key: string): Promise<BlobInfo | undefined>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every key starting with prefix; returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /** Every key starting with prefix, in lexicographic order. */
  list(prefix: string): AsyncIterable<string>;
  /** A short-lived URL the client can fetch directly, or undefined when the driver serves bytes itself. */
  downloadLink(key: string, options: DownloadLinkOptions): Promise<string | undefined>;
  /** Throws when the store cannot be written and read (used by /readyz and start-up checks). */
  check(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No object under key ${key}`);
    this.name = 'BlobNotFoundError';
  }
}
