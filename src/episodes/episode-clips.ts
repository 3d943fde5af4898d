import { createHash } from 'node:crypto';
import { belongsInBundle } from '../submissions/episode-bundle';
import type { Submission } from '../submissions/submission';
import type { SubmissionDocuments } from '../submissions/submission-documents';
import type { SubmissionIndex } from '../submissions/submission-index';
import { JINGLE_SLOTS } from '../storage/keys';
import type { EpisodeDocuments } from './episode-documents';
import type { JingleSet } from './jingles';

export interface EpisodeClipsDeps {
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  episodes: EpisodeDocuments;
}

/**
 * The clips that go into an episode, in the editor's order: approved (or used), rendered, and
 * tagged for it in their review document. Clips the order does not name yet follow in the order
 * they arrived, so a newly approved clip is never left out.
 */
export async function episodeClips(deps: EpisodeClipsDeps, episode: string): Promise<Submission[]> {
  const [ids, order] = await Promise.all([
    deps.index.idsOfEpisode(episode),
    deps.episodes.readOrder(episode),
  ]);
  const read = await Promise.all([...new Set(ids)].map((id) => deps.documents.read(id)));
  const clips = read.filter(
    (s): s is Submission => s !== undefined && belongsInBundle(s) && s.review.episode === episode,
  );
  const rank = new Map((order?.ids ?? []).map((id, i) => [id, i]));
  const place = (s: Submission) => rank.get(s.id) ?? Number.MAX_SAFE_INTEGER;
  return clips.sort((a, b) => place(a) - place(b) || (a.id < b.id ? -1 : 1));
}

/**
 * Names one rendering of a segment: the clips in order, each clip's render (a render again gives
 * a new one), the gap, the jingles and the layout's version. Equal hash, equal files.
 */
export function segmentHash(
  clips: readonly Submission[],
  gapSeconds: number,
  jingles: JingleSet = {},
): string {
  const selection = {
    v: 1,
    gapSeconds,
    clips: clips.map((s) => [s.id, s.processing.updatedAt ?? '']),
    jingles: JINGLE_SLOTS.map(
      (slot) => jingles[slot] && [slot, jingles[slot].uploadedAt, jingles[slot].sha256],
    ),
  };
  return createHash('sha256').update(JSON.stringify(selection)).digest('hex').slice(0, 16);
}
