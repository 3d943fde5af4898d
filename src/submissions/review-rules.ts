import type { Role } from '../accounts/account';
import type { ReviewFields, ReviewState } from './submission';

const OWNER: readonly Role[] = ['owner'];
const TEAM: readonly Role[] = ['owner', 'editor'];

/**
 * Every move between review states, and who may make it. Deciding what may go on air is the
 * owner's: every move is, and marking a clip used counts as approving it. The team's one move is
 * marking a clip the owner approved as used. A move not listed here does not exist for anyone.
 */
export const REVIEW_TRANSITIONS: Readonly<
  Record<ReviewState, Partial<Record<ReviewState, readonly Role[]>>>
> = {
  new: { approved: OWNER, rejected: OWNER, used: OWNER },
  approved: { used: TEAM, rejected: OWNER, new: OWNER },
  rejected: { approved: OWNER, new: OWNER, used: OWNER },
  used: { approved: OWNER, rejected: OWNER, new: OWNER },
};

/** Stars and notes are the team's; the episode of a clip already used is part of its history. */
const episodeEditors = (state: ReviewState): readonly Role[] => (state === 'used' ? OWNER : TEAM);

export type ReviewRefusal =
  { kind: 'forbidden'; reason: string } | { kind: 'impossible'; reason: string };

/** Why `role` may not turn `current` into `next`, or undefined when it may. */
export function reviewRefusal(
  current: ReviewFields,
  next: ReviewFields,
  role: Role,
): ReviewRefusal | undefined {
  if (next.state !== current.state) {
    const roles = REVIEW_TRANSITIONS[current.state][next.state];
    if (!roles)
      return {
        kind: 'impossible',
        reason: `a clip cannot go from ${current.state} to ${next.state}`,
      };
    if (!roles.includes(role))
      return {
        kind: 'forbidden',
        reason: `${current.state} → ${next.state} is the owner's decision`,
      };
  }
  if (next.episode !== current.episode && !episodeEditors(current.state).includes(role))
    return { kind: 'forbidden', reason: 'the episode of a used clip is the owner’s to change' };
  if (next.state === 'used' && next.episode === undefined)
    return { kind: 'impossible', reason: 'a clip marked as used needs the episode it was used in' };
  return undefined;
}
