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
import {
  FILTER_SCRIPT,
  REMOVE_SCRIPT,
  SET_STATE_SCRIPT,
  SET_TAGS_SCRIPT,
} from './submission-index-scripts';
import { firstLine, type TranscriptState, type TranscriptView } from '../transcripts/transcript';

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
  /** A listener's answer to a reply: the first message of its thread. */
  answerTo?: string;
  transcript?: { state: TranscriptState; firstLine?: string; language?: string };
}

export interface ListQuery {
  processing?: ProcessingState;
  review?: ReviewState;
  starred?: boolean;
  episode?: string;
  topic?: string;
  /** Words that must all occur in the name, e-mail, topic, message, team note or transcript. */
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

/** Lower-case text without accents, for matching "Müller" with "muller" and "MÜLLER", "Grüße" with "grusse". */
export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss');
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
      ...(submission.inReplyTo && { answerTo: submission.inReplyTo.submissionId }),
    };
    const preview = submission.processing.peaksPreview;
    const listenerText = [submission.name, submission.email, submission.topic, submission.message];
    const fields: Row = {
      summary: JSON.stringify(summary),
      processing: submission.processing.state,
      review: submission.review.state,
      listenerText: foldForSearch(listenerText.filter(Boolean).join('\n')),
      teamNote: foldForSearch(submission.review.note ?? ''),
      topicKey: foldForSearch(submission.topic ?? ''),
    };
    if (submission.email) fields.emailKey = this.emailKey(submission.email);
    if (preview) fields.peaksPreview = JSON.stringify(preview);
    Object.assign(fields, transcriptFields(submission.transcript));
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

  /** Updates the transcript's state, first line and searchable text. */
  setTranscript(id: string, transcript: TranscriptView): Promise<boolean> {
    return this.setFields(id, transcriptFields(transcript), false);
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

  /** Every indexed id (for `hallo doctor`). */
  allIds(): Promise<string[]> {
    return this.redis.zrange(this.setKey(), 0, -1);
  }

  /** Ids tagged with an episode, oldest first (the order they came in). */
  idsOfEpisode(episode: string): Promise<string[]> {
    return this.redis.zrange(this.episodePrefix + episode, 0, -1);
  }

  /** The narrowest set that answers part of the query, and the filters for the rest. */
  private plan(query: ListQuery): { set: string; filters: string[] | undefined } {
    const bySet = query.episode !== undefined || query.starred === true;
    const set =
      query.episode !== undefined
        ? this.episodePrefix + query.episode
        : query.starred === true
          ? this.starredKey
          : this.setKey(query.processing, query.review);
    const words = foldForSearch(query.search ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const topic = query.topic === undefined ? '' : foldForSearch(query.topic);
    // The starred set answers "starred" alone; with an episode, or for "not starred", it is a filter.
    const starredBySet = query.starred === true && query.episode === undefined;
    const starred = query.starred === undefined || starredBySet ? '' : query.starred ? '1' : '0';
    const processing = bySet ? (query.processing ?? '') : '';
    const review = bySet ? (query.review ?? '') : '';
    const needed = processing || review || starred || topic || words.length > 0;
    const filters = [processing, review, starred, topic, JSON.stringify(words)];
    return { set, filters: needed ? filters : undefined };
  }

  async list(query: ListQuery): Promise<ListPage> {
    const { set, filters } = this.plan(query);
    const batch = query.limit + 1;
    let pageIds: string[];
    if (!filters) {
      const max = query.cursor ? `(${query.cursor}` : '+';
      pageIds = await this.redis.zrange(set, max, '-', 'BYLEX', 'REV', 'LIMIT', 0, batch);
    } else {
      // Filtered in Redis, a thousand rows a call, until a page is found or the set ends.
      pageIds = [];
      let after = query.cursor ?? '';
      for (;;) {
        const want = batch - pageIds.length;
        const args = [`${this.prefix}:sub:`, after, '1000', String(want), ...filters];
        const [found, last, scanned] = (await this.redis.eval(FILTER_SCRIPT, 1, set, ...args)) as [
          string[],
          string,
          number,
        ];
        pageIds.push(...found);
        after = last;
        if (pageIds.length >= batch || scanned < 1000 || !last) break;
      }
    }
    const pipeline = this.redis.pipeline();
    for (const id of pageIds) pipeline.hgetall(this.hashKey(id));
    const rows = (await pipeline.exec()) ?? [];
    const summaries = rows.flatMap(([, row]) => {
      const fields = row as Row | null;
      return fields?.summary ? [summaryOf(fields)] : [];
    });
    const items = summaries.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: pageIds.length > query.limit && last ? last.id : null };
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

function transcriptFields(view: TranscriptView): Row {
  return {
    transcript: JSON.stringify({
      state: view.state,
      ...(view.text && { firstLine: firstLine(view.text) }),
      ...(view.language && { language: view.language }),
    }),
    transcriptText: foldForSearch(view.text ?? ''),
  };
}

function summaryOf(row: Row): SubmissionSummary {
  const summary = JSON.parse(row.summary ?? '{}') as SubmissionSummary;
  return {
    ...summary,
    ...(row.transcript !== undefined && {
      transcript: JSON.parse(row.transcript) as SubmissionSummary['transcript'],
    }),
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
