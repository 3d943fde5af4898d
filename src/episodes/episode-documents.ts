import type { BlobStore } from '../storage/blob-store';
import { JSON_TYPE, readJson } from '../storage/json-documents';
import { EPISODES_PREFIX, keys } from '../storage/keys';
import type { NewsletterDraft } from '../newsletter/newsletter-draft';
import type { EpisodeOrder, SegmentDocument } from './episode';

interface EpisodeDocumentKinds {
  order: EpisodeOrder;
  segment: SegmentDocument;
  newsletter: NewsletterDraft;
}

/** An episode's documents: the running order (the team's) and the rendered segment (the worker's). */
export class EpisodeDocuments {
  constructor(private readonly store: BlobStore) {}

  readOrder(episode: string): Promise<EpisodeOrder | undefined> {
    return readJson(this.store, keys.episodeOrder(episode));
  }

  async writeOrder(order: EpisodeOrder): Promise<void> {
    await this.store.putBytes(keys.episodeOrder(order.episode), JSON.stringify(order), JSON_TYPE);
  }

  readSegment(episode: string): Promise<SegmentDocument | undefined> {
    return readJson(this.store, keys.segmentDocument(episode));
  }

  async writeSegment(doc: SegmentDocument): Promise<void> {
    await this.store.putBytes(keys.segmentDocument(doc.episode), JSON.stringify(doc), JSON_TYPE);
  }

  readNewsletter(episode: string): Promise<NewsletterDraft | undefined> {
    return readJson(this.store, keys.newsletterDraft(episode));
  }

  async writeNewsletter(doc: NewsletterDraft): Promise<void> {
    await this.store.putBytes(keys.newsletterDraft(doc.episode), JSON.stringify(doc), JSON_TYPE);
  }

  /** Removes the episode's segment document and every rendered segment file; the count deleted. */
  async removeSegments(episode: string): Promise<number> {
    const files = await this.store.deletePrefix(keys.segmentsPrefix(episode));
    const hadDocument = (await this.store.head(keys.segmentDocument(episode))) !== undefined;
    await this.store.delete(keys.segmentDocument(episode));
    return files + (hadDocument ? 1 : 0);
  }

  /** Removes the rendered files of every other selection than `keep`. */
  async removeOtherSegments(episode: string, keep: string): Promise<void> {
    const prefix = keys.segmentsPrefix(episode);
    const stale = new Set<string>();
    for await (const key of this.store.list(prefix)) {
      const hash = key.slice(prefix.length).split('/')[0];
      if (hash && hash !== keep) stale.add(hash);
    }
    for (const hash of stale) await this.store.deletePrefix(`${prefix}${hash}/`);
  }

  /**
   * Every episode's documents, by kind, from one listing of the episodes' folder (erasure only;
   * the rendered segment files under it are listed, not read).
   */
  async scan(): Promise<{ [K in keyof EpisodeDocumentKinds]: EpisodeDocumentKinds[K][] }> {
    const found = { order: [], segment: [], newsletter: [] } as {
      [K in keyof EpisodeDocumentKinds]: EpisodeDocumentKinds[K][];
    };
    for await (const key of this.store.list(EPISODES_PREFIX)) {
      const kind = /^episodes\/[0-9a-f]{32}\/(order|segment|newsletter)\.json$/.exec(key)?.[1];
      if (!kind) continue;
      const doc = await readJson<never>(this.store, key);
      if (doc) found[kind as keyof EpisodeDocumentKinds].push(doc);
    }
    return found;
  }
}
