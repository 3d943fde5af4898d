import type { EpisodeDocuments } from './episode-documents';

/**
 * Erasure's part in the episodes: every rendered segment that held the clip is deleted (it is
 * the listener's voice too), and the clip leaves every running order. Returns the segments removed.
 */
export async function forgetClipInEpisodes(
  episodes: EpisodeDocuments,
  id: string,
): Promise<number> {
  const holding: string[] = [];
  for await (const segment of episodes.allSegments())
    if (segment.ids.includes(id)) holding.push(segment.episode);
  for (const episode of holding) await episodes.removeSegments(episode);
  const orders = [];
  for await (const order of episodes.allOrders()) if (order.ids.includes(id)) orders.push(order);
  for (const order of orders)
    await episodes.writeOrder({ ...order, ids: order.ids.filter((other) => other !== id) });
  return holding.length;
}
