import type { Submission } from './submission';

const TRANSLITERATIONS: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  å: 'a',
};

/** "Anna aus Berlin!" → "anna-aus-berlin" (ASCII, safe in every file system and editor). */
export function slugify(text: string, maxLength = 40): string {
  const slug = text
    .toLowerCase()
    .replace(/[äöüßæøå]/g, (c) => TRANSLITERATIONS[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return slug || 'hoerer';
}

/** `2026-11-25_anna-aus-berlin_7k3m9q2x.wav`: date, name, short id. */
export function clipFilename(
  submission: Pick<Submission, 'id' | 'receivedAt' | 'name'>,
  extension: string,
): string {
  const date = submission.receivedAt.slice(0, 10);
  const shortId = submission.id.slice(-8).toLowerCase();
  return `${date}_${slugify(submission.name)}_${shortId}.${extension}`;
}
