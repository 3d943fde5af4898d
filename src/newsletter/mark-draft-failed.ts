import type { EpisodeDocuments } from '../episodes/episode-documents';
import { describeGhostFailure } from './ghost-failure';

/**
 * Records why a send to Ghost failed: `retrying` while attempts remain, `failed` after the last.
 * What was uploaded stays recorded, so the next try or send does not upload it again.
 */
export async function markDraftFailed(
  deps: { episodes: EpisodeDocuments; config: { GHOST_URL?: string | undefined } },
  episode: string,
  error: unknown,
  last: boolean,
): Promise<void> {
  const current = await deps.episodes.readNewsletter(episode);
  await deps.episodes.writeNewsletter({
    media: {},
    cards: [],
    left: [],
    ...current,
    episode,
    state: last ? 'failed' : 'retrying',
    updatedAt: new Date().toISOString(),
    error: describeGhostFailure(error, deps.config.GHOST_URL ?? 'http://ghost.invalid'),
  });
}
