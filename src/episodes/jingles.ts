import type { BlobStore } from '../storage/blob-store';
import { JSON_TYPE, readJson } from '../storage/json-documents';
import { JINGLE_SLOTS, keys, type JingleSlot } from '../storage/keys';

/** A jingle the owner uploaded once for every segment: before, between or after the clips. */
export interface Jingle {
  slot: JingleSlot;
  uploadedAt: string;
  uploadedBy: string;
  durationSeconds: number;
  /** The upload's SHA-256: with uploadedAt, what a segment's hash names of it. */
  sha256: string;
}

export type JingleSet = Partial<Record<JingleSlot, Jingle>>;

/** The jingles' documents and rendered files (written only by the owner's upload). */
export class Jingles {
  constructor(private readonly store: BlobStore) {}

  async all(): Promise<JingleSet> {
    const docs = await Promise.all(
      JINGLE_SLOTS.map((slot) => readJson<Jingle>(this.store, keys.jingle(slot))),
    );
    return Object.fromEntries(docs.filter((d) => d !== undefined).map((d) => [d.slot, d]));
  }

  async save(jingle: Jingle, wavPath: string, mp3Path: string): Promise<void> {
    await this.store.moveFile(keys.jingleClip(jingle.slot, 'wav'), wavPath, 'audio/wav');
    await this.store.moveFile(keys.jingleClip(jingle.slot, 'mp3'), mp3Path, 'audio/mpeg');
    await this.store.putBytes(keys.jingle(jingle.slot), JSON.stringify(jingle), JSON_TYPE);
  }

  /** True if there was one. */
  async remove(slot: JingleSlot): Promise<boolean> {
    const had = (await this.store.head(keys.jingle(slot))) !== undefined;
    await this.store.delete(keys.jingle(slot));
    await this.store.delete(keys.jingleClip(slot, 'wav'));
    await this.store.delete(keys.jingleClip(slot, 'mp3'));
    return had;
  }
}
