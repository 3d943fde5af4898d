import type { Redis } from 'ioredis';
import type { Principal } from '../accounts/account';
import { AppError } from '../errors';
import { announce, type AnnounceDeps } from '../notifications/announce';
import { LockTimeoutError, withKeyLock } from '../redis/key-lock';
import { applyReviewChange, ReviewRuleError, type ReviewChange } from './review-change';
import { NEW_REVIEW, type ReviewFields, type Submission } from './submission';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

export interface ReviewDeps extends AnnounceDeps {
  redis: Redis;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  config: AnnounceDeps['config'] & { REDIS_PREFIX: string };
}

export interface ReviewUpdate {
  submission: Submission;
  previous: ReviewFields;
}

/**
 * Applies a reviewer's change to the review document, if the review rules let this reviewer make
 * it (review-rules.ts, checked here for every route). A short Redis lock per submission keeps two
 * reviewers (on any API process) from losing each other's change; the index follows the document.
 */
export async function updateReview(
  deps: ReviewDeps,
  id: string,
  change: ReviewChange,
  actor: Pick<Principal, 'name' | 'role'>,
): Promise<ReviewUpdate> {
  const lockKey = `${deps.config.REDIS_PREFIX}:lock:review:${id}`;
  try {
    const update = await withKeyLock(deps.redis, lockKey, async () => {
      const [listener, stored] = await Promise.all([
        deps.documents.readListener(id),
        deps.documents.readReview(id),
      ]);
      if (!listener) throw new AppError('NOT_FOUND');
      const { updatedAt: _at, updatedBy: _by, ...previous } = { ...NEW_REVIEW, ...stored };
      const next = applyReviewChange(previous, change, actor.role);
      await deps.documents.writeReview(id, {
        ...next,
        updatedAt: new Date().toISOString(),
        updatedBy: actor.name,
      });
      await deps.index.setReview(id, next);
      const submission = await deps.documents.read(id);
      if (!submission) throw new AppError('NOT_FOUND');
      return { submission, previous };
    });
    if (update.previous.state !== 'approved' && update.submission.review.state === 'approved') {
      await announce(deps, 'submission.approved', id);
    }
    return update;
  } catch (error) {
    if (error instanceof ReviewRuleError) {
      throw error.refusal.kind === 'forbidden'
        ? new AppError('FORBIDDEN', {}, { cause: error })
        : new AppError('INVALID_BODY', { detail: error.message });
    }
    if (error instanceof LockTimeoutError) {
      throw new AppError('BUSY', {}, { retryAfterSeconds: 1, cause: error });
    }
    throw error;
  }
}
