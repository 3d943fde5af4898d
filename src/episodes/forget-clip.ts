import type { EpisodeDocuments } from './episode-documents';

export interface ForgottenClip {
  /** Rendered segments that held the clip, deleted. */
  segmentsRemoved: number;
  /** Episodes whose Ghost draft holds the clip: their draft must be sent again without it. */
  draftsToResend: string[];
}

/**
 * Erasure's part in the episodes: every rendered segment that held the clip is deleted (it is
 * the listener's voice too), the clip leaves every running order, and the drafts that show it
 * are named so the caller can send them again without its card.
 */
export async function forgetClipInEpisodes(
  episodes: EpisodeDocuments,
  id: string,
): Promise<ForgottenClip> {
  const found = await episodes.scan();
  const holding = found.segment.filter((s) => s.ids.includes(id)).map((s) => s.episode);
  for (const episode of holding) await episodes.removeSegments(episode);
  for (const order of found.order.filter((o) => o.ids.includes(id)))
    await episodes.writeOrder({ ...order, ids: order.ids.filter((other) => other !== id) });
  const draftsToResend = found.newsletter
    .filter((draft) => draft.cards.includes(id) || id in draft.media)
    .map((draft) => draft.episode);
  return { segmentsRemoved: holding.length, draftsToResend };
}
