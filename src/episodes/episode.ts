import type { Chapter } from './segment-layout';

/** The editor's running order of an episode's clips (written by the team). */
export interface EpisodeOrder {
  episode: string;
  ids: string[];
  updatedAt: string;
  updatedBy: string;
}

/** The episode's last rendered voice segment (written only by the worker). */
export interface SegmentDocument {
  episode: string;
  /** Which selection it was rendered from (see segmentHash). */
  hash: string;
  /** The clips it holds, in order: erasing any of them removes the segment. */
  ids: string[];
  gapSeconds: number;
  renderedAt: string;
  durationSeconds: number;
  chapters: Chapter[];
}
