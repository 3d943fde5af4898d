import type { Config } from '../config';

type StorageConfig = Pick<
  Config,
  'STORAGE_DRIVER' | 'S3_BUCKET' | 'S3_REGION' | 'S3_ENDPOINT' | 'S3_FORCE_PATH_STYLE'
>;

/**
 * Where the browser fetches audio from besides hallo itself: with S3, downloads are redirects to
 * presigned URLs on the bucket's host, which the inbox's CSP (media-src) must allow.
 */
export function storageMediaOrigins(config: StorageConfig): string[] {
  if (config.STORAGE_DRIVER !== 's3' || !config.S3_BUCKET) return [];
  if (config.S3_ENDPOINT) {
    const endpoint = new URL(config.S3_ENDPOINT);
    return config.S3_FORCE_PATH_STYLE
      ? [endpoint.origin]
      : [`${endpoint.protocol}//${config.S3_BUCKET}.${endpoint.host}`];
  }
  const region = config.S3_REGION;
  return config.S3_FORCE_PATH_STYLE
    ? [`https://s3.${region}.amazonaws.com`]
    : [`https://${config.S3_BUCKET}.s3.${region}.amazonaws.com`];
}
