import type { BlobStore } from './blob-store';

export const JSON_TYPE = 'application/json';

/** A JSON document from the store, or undefined where there is none. */
export async function readJson<T>(store: BlobStore, key: string): Promise<T | undefined> {
  const bytes = await store.getBytes(key);
  return bytes === undefined ? undefined : (JSON.parse(bytes.toString('utf8')) as T);
}
