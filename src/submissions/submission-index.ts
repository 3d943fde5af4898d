import type { Redis } from 'ioredis';
import {
  PROCESSING_STATES,
  REVIEW_STATES,
  type ProcessingState,
  type ReviewState,
  type Submission,
} from './submission';

/** What the inbox list shows of a submission; derived from the documents, rebuilt by reindex. */
export interface SubmissionSummary {
  id: string;
  receivedAt: string;
  name: string;
  topic?: string;
  messagePreview?: string;
  durationSeconds?: number;
  processing: ProcessingState;
  review: ReviewState;
}

export interface ListQuery {
  processing?: ProcessingState;
  review?: ReviewState;
  limit: number;
  /** The last id of the previous page. */
  cursor?: string;
}

export interface ListPage {
  items: SubmissionSummary[];
  nextCursor: string | null;
}

// Moves the id into exactly the state sets that match its hash fields, atomically.
// Members all score 0 so sets order by id (ULIDs sort by time): pages are ZRANGE BYLEX, O(log n + page).
const SET_STATE_SCRIPT = `
local id = ARGV[1]
local create = ARGV[2] == '1'
if not create and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
local p = redis.call('HGET', KEYS[1], 'processing')
local r = redis.call('HGET', KEYS[1], 'review')
local pStates = cjson.decode(ARGV[3])
local rStates = cjson.decode(ARGV[4])
for i = 3, #KEYS do redis.call('ZREM', KEYS[i], id) end
redis.call('ZADD', KEYS[2], 0, id)
for pi, ps in ipairs(pStates) do
  if ps == p then
    redis.call('ZADD', KEYS[2 + pi], 0, id)
    for ri, rs in ipairs(rStates) do
      if rs == r then
        redis.call('ZADD', KEYS[2 + #pStates + ri], 0, id)
        redis.call('ZADD', KEYS[2 + #pStates + #rStates + (pi - 1) * #rStates + ri], 0, id)
      end
    end
  end
end
return 1
`;

/** The Redis index over submissions: newest-first listing filtered by state in O(page). */
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

  private allSetKeys(): string[] {
    return [
      this.setKey(),
      ...PROCESSING_STATES.map((p) => this.setKey(p)),
      ...REVIEW_STATES.map((r) => this.setKey(undefined, r)),
      ...PROCESSING_STATES.flatMap((p) => REVIEW_STATES.map((r) => this.setKey(p, r))),
    ];
  }

  private async setFields(
    id: string,
    fields: Record<string, string>,
    create: boolean,
  ): Promise<boolean> {
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

  /** Indexes (or re-indexes) a whole submission. */
  async put(submission: Submission): Promise<void> {
    const summary: Omit<SubmissionSummary, 'processing' | 'review'> = {
      id: submission.id,
      receivedAt: submission.receivedAt,
      name: submission.name,
      ...(submission.topic !== undefined && { topic: submission.topic }),
      ...(submission.message !== undefined && { messagePreview: submission.message.slice(0, 160) }),
      ...(submission.processing.durationSeconds !== undefined && {
        durationSeconds: submission.processing.durationSeconds,
      }),
    };
    await this.setFields(
      submission.id,
      {
        summary: JSON.stringify(summary),
        processing: submission.processing.state,
        review: submission.review.state,
      },
      true,
    );
  }

  /** Updates one writer's field; a submission that is not indexed is left to reindex. */
  setProcessing(id: string, state: ProcessingState, durationSeconds?: number): Promise<boolean> {
    const fields: Record<string, string> = { processing: state };
    if (durationSeconds !== undefined) fields.durationSeconds = String(durationSeconds);
    return this.setFields(id, fields, false);
  }

  setReview(id: string, state: ReviewState): Promise<boolean> {
    return this.setFields(id, { review: state }, false);
  }

  async remove(id: string): Promise<void> {
    const multi = this.redis.multi();
    for (const key of this.allSetKeys()) multi.zrem(key, id);
    multi.del(this.hashKey(id));
    await multi.exec();
  }

  async list(query: ListQuery): Promise<ListPage> {
    const max = query.cursor ? `(${query.cursor}` : '+';
    const ids = await this.redis.zrange(
      this.setKey(query.processing, query.review),
      max,
      '-',
      'BYLEX',
      'REV',
      'LIMIT',
      0,
      query.limit + 1,
    );
    const pageIds = ids.slice(0, query.limit);
    const pipeline = this.redis.pipeline();
    for (const id of pageIds) pipeline.hgetall(this.hashKey(id));
    const rows = (await pipeline.exec()) ?? [];
    const items = rows.flatMap(([, row]) => {
      const fields = row as Record<string, string> | null;
      if (!fields?.summary) return [];
      const summary = JSON.parse(fields.summary) as SubmissionSummary;
      return [
        {
          ...summary,
          ...(fields.durationSeconds !== undefined && {
            durationSeconds: Number(fields.durationSeconds),
          }),
          processing: fields.processing as ProcessingState,
          review: fields.review as ReviewState,
        },
      ];
    });
    const last = pageIds[pageIds.length - 1];
    return { items, nextCursor: ids.length > query.limit && last ? last : null };
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
