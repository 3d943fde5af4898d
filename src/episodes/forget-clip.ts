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
  const holding: string[] = [];
  for await (const segment of episodes.all('segment'))
    if (segment.ids.includes(id)) holding.push(segment.episode);
  for (const episode of holding) await episodes.removeSegments(episode);
  const orders = [];
  for await (const order of episodes.all('order')) if (order.ids.includes(id)) orders.push(order);
  for (const order of orders)
    await episodes.writeOrder({ ...order, ids: order.ids.filter((other) => other !== id) });
  const draftsToResend: string[] = [];
  for await (const draft of episodes.all('newsletter'))
    if (draft.cards.includes(id) || id in draft.media) draftsToResend.push(draft.episode);
  return { segmentsRemoved: holding.length, draftsToResend };
}
