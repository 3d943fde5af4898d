import { execFileSync } from 'node:child_process';

export interface ProbedChapters {
  format: { duration: string };
  chapters: { start_time: string; end_time: string; tags?: { title?: string } }[];
}

/** The duration and chapters ffprobe reads from a file (ID3 CHAP in MP3, cue and labels in WAV). */
export const probeChapters = (file: string): ProbedChapters =>
  JSON.parse(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_chapters', '-show_entries', 'format=duration', '-of', 'json', file],
      { encoding: 'utf8' },
    ),
  ) as ProbedChapters;
