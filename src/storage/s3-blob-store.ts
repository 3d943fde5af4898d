import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  BlobNotFoundError,
  type BlobInfo,
  type BlobStore,
  type ByteRange,
  type DownloadLinkOptions,
} from './blob-store';
import { attachmentDisposition } from './content-disposition';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  presignSeconds: number;
  /** Keys per ListObjectsV2 page and per DeleteObjects batch (S3's maximum is 1000). */
  pageSize?: number;
}

/** Blobs in an S3 bucket (AWS or any S3-compatible server). */
export class S3BlobStore implements BlobStore {
  readonly driver = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly presignSeconds: number;
  private readonly pageSize: number;
  /** Turned off after the first sign that the server lacks DeleteObjects. */
  private batchDelete = true;

  constructor(options: S3BlobStoreOptions) {
    const { accessKeyId, secretAccessKey } = options;
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      throw new Error('S3 access key id and secret access key must be given together');
    }
    this.bucket = options.bucket;
    this.presignSeconds = options.presignSeconds;
    this.pageSize = Math.min(options.pageSize ?? 1000, 1000);
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      // The defaults add checksums that several S3-compatible servers store or reject (see NOTES.md).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: 3_000,
        // Idle-socket limit: ends a hung server but not a slow, progressing upload or download.
        // (requestTimeout in @smithy/node-http-handler 4.x only logs unless throwOnRequestTimeout is set.)
        socketTimeout: 30_000,
      }),
    });
  }

  async putFile(key: string, filePath: string, contentType: string): Promise<void> {
    await this.putStream(key, createReadStream(filePath), contentType);
  }

  async moveFile(key: string, filePath: string, contentType: string): Promise<void> {
    await this.putFile(key, filePath, contentType);
    await rm(filePath, { force: true });
  }

  /**
   * Streams body into key; large bodies go multipart. S3 commits an object only on a successful
   * PutObject or CompleteMultipartUpload, and Upload aborts the multipart upload on failure, so a
   * failed put leaves the key as it was (absent, or the previous object).
   */
  async putStream(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
    });
    try {
      await upload.done();
    } finally {
      body.destroy();
    }
  }

  async putBytes(key: string, body: Buffer | string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async getBytes(key: string): Promise<Buffer | undefined> {
    try {
      const stream = await this.getStream(key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (err) {
      if (err instanceof BlobNotFoundError) return undefined;
      throw err;
    }
  }

  async getStream(key: string, range?: ByteRange): Promise<Readable> {
    if (range) assertRange(range);
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      if (!(Body instanceof Readable)) throw new Error(`S3 returned no body stream for ${key}`);
      return Body;
    } catch (err) {
      if (errorName(err) === 'NoSuchKey') throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType };
    } catch (err) {
      // HEAD responses have no body, so the SDK only knows the status: NotFound.
      if (errorName(err) === 'NotFound' || errorName(err) === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    // Each page is deleted before the next is fetched; the continuation token points past it.
    for await (const page of this.pages(prefix)) {
      await this.deleteKeys(page);
      deleted += page.length;
    }
    return deleted;
  }

  async *list(prefix: string): AsyncIterable<string> {
    for await (const page of this.pages(prefix)) yield* page;
  }

  async downloadLink(key: string, options: DownloadLinkOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: attachmentDisposition(options.filename),
      ResponseContentType: options.contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn: this.presignSeconds });
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Closes the client's sockets; the store cannot be used afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  private async *pages(prefix: string): AsyncGenerator<string[]> {
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          MaxKeys: this.pageSize,
        }),
      );
      const page = (out.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
      if (page.length > 0) yield page;
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    if (this.batchDelete) {
      try {
        const out = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = out.Errors?.[0];
        if (failed)
          throw new Error(`S3 could not delete ${failed.Key}: ${failed.Code} ${failed.Message}`);
        return;
      } catch (err) {
        if (!isUnsupported(err)) throw err;
        this.batchDelete = false;
      }
    }
    for (const key of keys) await this.delete(key);
  }
}

function assertRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Bad byte range ${start}-${end}`);
  }
}

function errorName(err: unknown): string | undefined {
  const name =
    typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** How servers without DeleteObjects (or without its checksum header) answer it. */
function isUnsupported(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  const name = errorName(err) ?? '';
  return (
    status === 501 ||
    status === 405 ||
    [
      'NotImplemented',
      'MethodNotAllowed',
      'MissingContentMD5',
      'InvalidDigest',
      'XNotImplemented',
    ].includes(name)
  );
}
