import path from 'node:path';
import type { Config } from '../config';
import type { BlobStore } from './blob-store';
import { DiskBlobStore } from './disk-blob-store';
import { S3BlobStore } from './s3-blob-store';

/** The one place that turns STORAGE_DRIVER into a store; domain code sees only BlobStore. */
export function createBlobStore(config: Config): BlobStore {
  switch (config.STORAGE_DRIVER) {
    case 'disk':
      // Resolved once at start-up, so a later chdir cannot move the data.
      return new DiskBlobStore(path.resolve(config.STORAGE_DIR));
    case 's3': {
      // The config schema already demands S3_BUCKET for s3; this narrows the type.
      if (!config.S3_BUCKET) throw new Error('S3_BUCKET is required when STORAGE_DRIVER=s3');
      return new S3BlobStore({
        bucket: config.S3_BUCKET,
        region: config.S3_REGION,
        endpoint: config.S3_ENDPOINT,
        forcePathStyle: config.S3_FORCE_PATH_STYLE,
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        presignSeconds: config.S3_PRESIGN_SECONDS,
      });
    }
  }
}
