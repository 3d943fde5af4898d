import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { encodeTime } from 'ulid';
import {
  PROCESSING_STATES,
  REVIEW_STATES,
  type ProcessingState,
  type ReviewFields,
  type ReviewState,
  type Submission,
} from './submission';
import { REMOVE_SCRIPT, SET_STATE_SCRIPT, SET_TAGS_SCRIPT } from './submission-index-scripts';

/** What the inbox list shows of a submission; derived from the documents, rebuilt by reindex. */
export interface SubmissionSummary {
  id: string;
  receivedAt: string;
  name: string;
  topic?: string;
  messagePreview?: string;
  durationSeconds?: number;
  peaksPreview?: number[];
  processing: ProcessingState;
  review: ReviewState;
  starred: boolean;
  episode?: string;
}

export interface ListQuery {
  processing?: ProcessingState;
  review?: ReviewState;
  starred?: boolean;
  episode?: string;
  topic?: string;
  /** Words that must all occur in the name, e-mail, topic, message or team note. */
  search?: string;
  limit: number;
  /** The last id of the previous page. */
  cursor?: string;
}

export interface ListPage {
  items: SubmissionSummary[];
  nextCursor: string | null;
}

type Row = Record<string, string>;

/** Lower-case text without accents, for matching "Müller" with "muller" and "MÜLLER". */
export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

const emailDigest = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/**
 * The Redis index over submissions: newest-first listing by state in O(log n + page), plus
 * starred, episode and e-mail sets. Filters that no set answers (search, topic) are applied to
 * rows read in batches along the narrowest set.
 */
export class SubmissionIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private hashKey(id: string): string {
    return `${this.prefix}:sub:${id}`;
  }

  private setKey(processing?: ProcessingState, review?: ReviewState): string {
    if (processing && review) return `${this.prefix}:idx:pr:${processing}:${review}`;
    if (processing) return `${this.prefix}:idx:p:${processing}`;
    if (review) return `${this.prefix}:idx:r:${review}`;
    return `${this.prefix}:idx:all`;
  }

  private get starredKey(): string {
    return `${this.prefix}:idx:starred`;
  }

  private get episodePrefix(): string {
    return `${this.prefix}:idx:ep:`;
  }

  private emailKey(email: string): string {
    return `${this.prefix}:idx:email:${emailDigest(email)}`;
  }

  private allSetKeys(): string[] {
    return [
      this.setKey(),
      ...PROCESSING_STATES.map((p) => this.setKey(p)),
      ...REVIEW_STATES.map((r) => this.setKey(undefined, r)),
      ...PROCESSING_STATES.flatMap((p) => REVIEW_STATES.map((r) => this.setKey(p, r))),
    ];
  }

  private async setFields(id: string, fields: Row, create: boolean): Promise<boolean> {
    const keys = [this.hashKey(id), ...this.allSetKeys()];
    const args = [
      id,
      create ? '1' : '0',
      JSON.stringify(PROCESSING_STATES),
      JSON.stringify(REVIEW_STATES),
      ...Object.entries(fields).flat(),
    ];
    const changed = await this.redis.eval(SET_STATE_SCRIPT, keys.length, ...keys, ...args);
    return changed === 1;
  }

  private async setTags(id: string, review: Pick<ReviewFields, 'starred' | 'episode'>) {
    const keys = [this.hashKey(id), this.starredKey];
    const args = [id, this.episodePrefix, review.starred ? '1' : '0', review.episode ?? ''];
    return (await this.redis.eval(SET_TAGS_SCRIPT, keys.length, ...keys, ...args)) === 1;
  }

  /** Indexes (or re-indexes) a whole submission. */
  async put(submission: Submission): Promise<void> {
    const summary = {
      id: submission.id,
      receivedAt: submission.receivedAt,
      name: submission.name,
      ...(submission.topic !== undefined && { topic: submission.topic }),
      ...(submission.message !== undefined && { messagePreview: submission.message.slice(0, 160) }),
      ...(submission.processing.durationSeconds !== undefined && {
        durationSeconds: submission.processing.durationSeconds,
      }),
    };
    const preview = submission.processing.peaksPreview;
    const listenerText = [submission.name, submission.email, submission.topic, submission.message];
    const fields: Row = {
      summary: JSON.stringify(summary),
      processing: submission.processing.state,
      review: submission.review.state,
      listenerText: foldForSearch(listenerText.filter(Boolean).join('\n')),
      teamNote: foldForSearch(submission.review.note ?? ''),
    };
    if (submission.email) fields.emailKey = this.emailKey(submission.email);
    if (preview) fields.peaksPreview = JSON.stringify(preview);
    await this.setFields(submission.id, fields, true);
    await this.setTags(submission.id, submission.review);
    if (submission.email) await this.redis.zadd(this.emailKey(submission.email), 0, submission.id);
  }

  /** Updates the worker's fields; a submission that is not indexed is left to reindex. */
  setProcessing(
    id: string,
    state: ProcessingState,
    result?: { durationSeconds: number; peaksPreview?: number[] },
  ): Promise<boolean> {
    const fields: Row = { processing: state };
    if (result) fields.durationSeconds = String(result.durationSeconds);
    if (result?.peaksPreview) fields.peaksPreview = JSON.stringify(result.peaksPreview);
    return this.setFields(id, fields, false);
  }

  /** Updates the reviewers' fields. */
  async setReview(id: string, review: ReviewFields): Promise<boolean> {
    const fields = { review: review.state, teamNote: foldForSearch(review.note ?? '') };
    if (!(await this.setFields(id, fields, false))) return false;
    return this.setTags(id, review);
  }

  async remove(id: string): Promise<void> {
    const keys = [this.hashKey(id), this.starredKey, ...this.allSetKeys()];
    await this.redis.eval(REMOVE_SCRIPT, keys.length, ...keys, id, this.episodePrefix);
  }

  /** Every indexed submission of the listener with this e-mail address (case-insensitive). */
  idsByEmail(email: string): Promise<string[]> {
    return this.redis.zrange(this.emailKey(email), 0, -1);
  }

  /**
   * Ids received in [from, until), oldest first, optionally of one review state: ULIDs begin with
   * their time, so this is a range of the sorted set, not a scan.
   */
  idsReceivedBetween(from: Date, until: Date, review?: ReviewState): Promise<string[]> {
    const lower = `[${encodeTime(from.getTime(), 10)}`;
    const upper = `(${encodeTime(until.getTime(), 10)}`;
    return this.redis.zrange(this.setKey(undefined, review), lower, upper, 'BYLEX');
  }

  /** Ids tagged with an episode, oldest first (the order they came in). */
  idsOfEpisode(episode: string): Promise<string[]> {
    return this.redis.zrange(this.episodePrefix + episode, 0, -1);
  }

  /** The narrowest set that answers part of the query, and a test for the rest. */
  private plan(query: ListQuery): {
    set: string;
    filtered: boolean;
    accept: (row: Row) => boolean;
  } {
    const byState = query.episode === undefined && query.starred !== true;
    const set =
      query.episode !== undefined
        ? this.episodePrefix + query.episode
        : query.starred === true
          ? this.starredKey
          : this.setKey(query.processing, query.review);
    const words = foldForSearch(query.search ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const topic = query.topic === undefined ? undefined : foldForSearch(query.topic);
    const accept = (row: Row): boolean => {
      if (!byState && query.processing && row.processing !== query.processing) return false;
      if (!byState && query.review && row.review !== query.review) return false;
      if (query.starred !== undefined && (row.starred === '1') !== query.starred) return false;
      if (topic !== undefined && foldForSearch(summaryOf(row).topic ?? '') !== topic) return false;
      const text = `${row.listenerText ?? ''}\n${row.teamNote ?? ''}`;
      return words.every((word) => text.includes(word));
    };
    const filtered =
      !byState || query.starred !== undefined || topic !== undefined || words.length > 0;
    return { set, filtered, accept };
  }

  async list(query: ListQuery): Promise<ListPage> {
    const { set, filtered, accept } = this.plan(query);
    const batch = query.limit + 1;
    // Unfiltered, one read of exactly a page; filtered, larger reads until a page is found.
    const chunk = filtered ? Math.max(batch, 200) : batch;
    const found: SubmissionSummary[] = [];
    let after = query.cursor;
    for (;;) {
      const ids = await this.redis.zrange(
        set,
        after ? `(${after}` : '+',
        '-',
        'BYLEX',
        'REV',
        'LIMIT',
        0,
        chunk,
      );
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(this.hashKey(id));
      const rows = (await pipeline.exec()) ?? [];
      for (const [, row] of rows) {
        const fields = row as Row | null;
        if (fields?.summary && accept(fields)) found.push(summaryOf(fields));
        if (found.length === batch) break;
      }
      after = ids[ids.length - 1];
      if (found.length === batch || ids.length === 0 || !after) break;
    }
    const items = found.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: found.length > query.limit && last ? last.id : null };
  }

  async count(processing?: ProcessingState, review?: ReviewState): Promise<number> {
    return this.redis.zcard(this.setKey(processing, review));
  }

  async has(id: string): Promise<boolean> {
    return (await this.redis.exists(this.hashKey(id))) === 1;
  }

  /** Drops the whole index (before a rebuild from the blob store). */
  async clear(): Promise<number> {
    let deleted = 0;
    for (const pattern of [`${this.prefix}:idx:*`, `${this.prefix}:sub:*`]) {
      const stream = this.redis.scanStream({ match: pattern, count: 500 });
      for await (const batch of stream) {
        const keys = batch as string[];
        if (keys.length > 0) deleted += await this.redis.unlink(...keys);
      }
    }
    return deleted;
  }
}

function summaryOf(row: Row): SubmissionSummary {
  const summary = JSON.parse(row.summary ?? '{}') as SubmissionSummary;
  return {
    ...summary,
    ...(row.durationSeconds !== undefined && { durationSeconds: Number(row.durationSeconds) }),
    ...(row.peaksPreview !== undefined && {
      peaksPreview: JSON.parse(row.peaksPreview) as number[],
    }),
    processing: row.processing as ProcessingState,
    review: row.review as ReviewState,
    starred: row.starred === '1',
    ...(row.episode !== undefined && { episode: row.episode }),
  };
}
