import { z } from 'zod';
import type { Role } from '../accounts/account';
import { reviewRefusal, type ReviewRefusal } from './review-rules';
import { REVIEW_STATES, type ReviewFields } from './submission';

/** An episode tag: "Folge 12", "2026-48", "#130"; short, printable, no slashes. */
export const EPISODE_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._#-]{0,39}$/u;

export const episodeSchema = z
  .string()
  .trim()
  .regex(EPISODE_PATTERN, 'an episode is 1–40 letters, digits, spaces or . _ # -');

/** What a reviewer may change in one request; null clears a field. */
export const reviewChangeSchema = z
  .object({
    state: z.enum(REVIEW_STATES).optional(),
    starred: z.boolean().optional(),
    episode: episodeSchema.nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
    /** The clip with the noise stage (`auto`) or without it (`original`): rendered again. */
    noise: z.enum(['auto', 'original']).optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'nothing to change');

export type ReviewChange = z.infer<typeof reviewChangeSchema>;

export class ReviewRuleError extends Error {
  constructor(readonly refusal: ReviewRefusal) {
    super(refusal.reason);
  }
}

/** The review after `role` makes a change; throws when the review rules do not allow it. */
export function applyReviewChange(
  current: ReviewFields,
  change: ReviewChange,
  role: Role,
): ReviewFields {
  const next: ReviewFields = { ...current };
  if (change.state !== undefined) next.state = change.state;
  if (change.starred !== undefined) next.starred = change.starred;
  if (change.episode === null) delete next.episode;
  else if (change.episode !== undefined) next.episode = change.episode;
  if (change.note === null || change.note?.trim() === '') delete next.note;
  else if (change.note !== undefined) next.note = change.note;
  if (change.noise === 'auto') delete next.noise;
  else if (change.noise === 'original') next.noise = 'original';
  const refusal = reviewRefusal(current, next, role);
  if (refusal) throw new ReviewRuleError(refusal);
  return next;
}
