import type { Chapter } from './segment-layout';

/**
 * The segment's chapters for the tools around the edit: an Audacity label track, and the
 * Podcasting 2.0 chapters file a feed links with <podcast:chapters>.
 */

const oneLine = (s: string): string => s.replace(/\p{Cc}+/gu, ' ').trim();
const secs = (s: number): string => s.toFixed(6);

/** Audacity's label format: start, end and text, tab-separated, one label a line. */
export function audacityLabels(chapters: readonly Chapter[]): string {
  return chapters
    .map((c) => `${secs(c.startSeconds)}\t${secs(c.endSeconds)}\t${oneLine(c.title)}\n`)
    .join('');
}

/** https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/chapters/jsonChapters.md */
export function podcastChapters(chapters: readonly Chapter[]): string {
  return `${JSON.stringify(
    {
      version: '1.2.0',
      chapters: chapters.map((c) => ({
        startTime: Number(c.startSeconds.toFixed(3)),
        endTime: Number(c.endSeconds.toFixed(3)),
        title: oneLine(c.title),
      })),
    },
    null,
    2,
  )}\n`;
}
