import { z } from 'zod';
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
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'nothing to change');

export type ReviewChange = z.infer<typeof reviewChangeSchema>;

export class ReviewRuleError extends Error {}

/** The review after a change. "used" means used in an episode, so it needs one. */
export function applyReviewChange(current: ReviewFields, change: ReviewChange): ReviewFields {
  const next: ReviewFields = { ...current };
  if (change.state !== undefined) next.state = change.state;
  if (change.starred !== undefined) next.starred = change.starred;
  if (change.episode === null) delete next.episode;
  else if (change.episode !== undefined) next.episode = change.episode;
  if (change.note === null || change.note?.trim() === '') delete next.note;
  else if (change.note !== undefined) next.note = change.note;
  if (next.state === 'used' && next.episode === undefined) {
    throw new ReviewRuleError('a clip marked as used needs the episode it was used in');
  }
  return next;
}
