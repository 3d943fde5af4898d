import type { BlobStore } from '../storage/blob-store';
import { JSON_TYPE, readJson } from '../storage/json-documents';
import { keys, replyIdOfReplyKey } from '../storage/keys';
import type { ReplyAnswer, ReplyDelivery, ReplyDocument, ReplyLinkRecord } from './reply';

/**
 * A reply's documents, stored under the message it answers, so erasing the message's prefix takes
 * them along. Each has one kind of writer: the team (reply), the worker (delivery), the listener's
 * answer (answer, once). The link record is the only object outside the prefix.
 */
export class ReplyDocuments {
  constructor(private readonly store: BlobStore) {}

  readReply(id: string, replyId: string): Promise<ReplyDocument | undefined> {
    return readJson(this.store, keys.reply(id, replyId));
  }

  readDelivery(id: string, replyId: string): Promise<ReplyDelivery | undefined> {
    return readJson(this.store, keys.replyDelivery(id, replyId));
  }

  readAnswer(id: string, replyId: string): Promise<ReplyAnswer | undefined> {
    return readJson(this.store, keys.replyAnswer(id, replyId));
  }

  readLink(linkSha256: string): Promise<ReplyLinkRecord | undefined> {
    return readJson(this.store, keys.replyLink(linkSha256));
  }

  async writeReply(doc: ReplyDocument): Promise<void> {
    await this.store.putBytes(keys.reply(doc.submissionId, doc.id), JSON.stringify(doc), JSON_TYPE);
  }

  async writeDelivery(id: string, replyId: string, doc: ReplyDelivery): Promise<void> {
    await this.store.putBytes(keys.replyDelivery(id, replyId), JSON.stringify(doc), JSON_TYPE);
  }

  async writeAnswer(id: string, replyId: string, doc: ReplyAnswer): Promise<void> {
    await this.store.putBytes(keys.replyAnswer(id, replyId), JSON.stringify(doc), JSON_TYPE);
  }

  async writeLink(linkSha256: string, record: ReplyLinkRecord): Promise<void> {
    await this.store.putBytes(keys.replyLink(linkSha256), JSON.stringify(record), JSON_TYPE);
  }

  async deleteAnswer(id: string, replyId: string): Promise<void> {
    await this.store.delete(keys.replyAnswer(id, replyId));
  }

  async deleteLink(linkSha256: string): Promise<void> {
    await this.store.delete(keys.replyLink(linkSha256));
  }

  /** The replies to one message, oldest first (ids are ULIDs). */
  async list(id: string): Promise<ReplyDocument[]> {
    const ids: string[] = [];
    for await (const key of this.store.list(keys.repliesPrefix(id))) {
      const replyId = replyIdOfReplyKey(key);
      if (replyId) ids.push(replyId);
    }
    ids.sort();
    const docs = await Promise.all(ids.map((replyId) => this.readReply(id, replyId)));
    return docs.filter((d): d is ReplyDocument => d !== undefined);
  }

  /** Removes everything of one reply but the link record (the caller knows its hash). */
  async erase(id: string, replyId: string): Promise<number> {
    return this.store.deletePrefix(keys.replyPrefix(id, replyId));
  }
}
