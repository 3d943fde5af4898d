import type { Response } from 'express';
import { AppError } from '../errors';
import type { BlobStore } from '../storage/blob-store';
import { attachmentDisposition } from '../storage/content-disposition';
import { streamToClient } from './stream-to-client';

export interface BlobTarget {
  key: string;
  contentType: string;
  filename: string;
  /** Stream the bytes even where the store could hand out a link (pages that may only talk to us). */
  noRedirect?: boolean;
}

/** Serves a stored object: a redirect to a presigned URL (S3) or the bytes with Range support (disk). */
export async function sendBlob(
  store: BlobStore,
  res: Response,
  rangeOf: (size: number) => unknown,
  target: BlobTarget,
) {
  const link =
    !target.noRedirect &&
    (await store.downloadLink(target.key, {
      filename: target.filename,
      contentType: target.contentType,
    }));
  if (link) return res.redirect(302, link);
  const info = await store.head(target.key);
  if (!info) throw new AppError('NOT_FOUND');
  res.set({
    'Content-Type': target.contentType,
    'Content-Disposition': attachmentDisposition(target.filename),
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-store',
  });
  const ranges = rangeOf(info.size);
  if (Array.isArray(ranges) && ranges.length === 1) {
    const { start, end } = ranges[0] as { start: number; end: number };
    res.status(206).set({
      'Content-Range': `bytes ${start}-${end}/${info.size}`,
      'Content-Length': String(end - start + 1),
    });
    return streamToClient(await store.getStream(target.key, { start, end }), res);
  }
  if (ranges === -1) {
    res.status(416).set('Content-Range', `bytes */${info.size}`);
    return res.end();
  }
  res.set('Content-Length', String(info.size));
  return streamToClient(await store.getStream(target.key), res);
}
