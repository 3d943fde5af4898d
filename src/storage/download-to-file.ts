import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from './blob-store';

/** Streams a stored object into a local file for a worker's tools (ffmpeg, an upload). */
export async function downloadToFile(store: BlobStore, key: string, file: string): Promise<void> {
  await pipeline(await store.getStream(key), createWriteStream(file));
}
