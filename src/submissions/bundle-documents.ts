import { stringify } from 'csv-stringify/sync';
import { firstLine } from '../transcripts/transcript';
import { clock } from '../i18n/clock';
import type { Submission } from './submission';

/** One clip of an episode bundle, in the order the editor should find them. */
export interface BundleEntry {
  position: number;
  filename: string;
  submission: Submission;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * A text cell no spreadsheet runs as a formula: every line that starts like one (= + - @ or a tab)
 * gets a leading apostrophe, not only the first, since a program that splits the cell at
 * its line breaks sees each line as a cell start.
 */
export const spreadsheetText = (text: string): string =>
  text.replace(/(^|\r\n|\r|\n)(?=[=+\-@\t])/g, "$1'");

/**
 * clips.csv: one row per clip for the editor's notes or a spreadsheet. UTF-8 with a BOM (so Excel
 * reads umlauts), CRLF rows, every cell with a line break quoted (csv-stringify quotes only the
 * record delimiter itself), text cells that could run as formulas escaped. No e-mail: the editor
 * needs none.
 */
export function clipsCsv(entries: BundleEntry[]): string {
  return stringify(
    entries.map(({ position, filename, submission: s }) => ({
      position,
      file: spreadsheetText(filename),
      name: spreadsheetText(s.name),
      topic: spreadsheetText(s.topic ?? ''),
      note: spreadsheetText(s.message ?? ''),
      team_note: spreadsheetText(s.review.note ?? ''),
      // Numbers stay numbers: formula escaping applies to text cells only, not to "-16.1".
      duration_seconds: round1(s.processing.durationSeconds ?? 0),
      loudness_lufs: s.processing.outputLoudness
        ? round1(s.processing.outputLoudness.integratedLufs)
        : '',
      received_at: s.receivedAt,
      consent_at: s.consent.at,
      consent_version: s.consent.version,
      submission_id: s.id,
      // The team's correction where there is one; the machine's transcript otherwise.
      transcript_language: s.transcript.language ?? '',
      transcript: spreadsheetText(s.transcript.text ?? ''),
    })),
    { header: true, bom: true, quoted_match: /[\r\n]/, record_delimiter: 'windows' },
  );
}

/**
 * One line of someone's text as Markdown that shows exactly that text: no emphasis, link (also no
 * bare URL that GFM would link), image, HTML, comment or entity can start in it, and it cannot turn
 * its line into a heading or a list.
 */
export function markdownText(line: string): string {
  return (
    line
      .replace(/[\\`*_{}[\]()<>!|~&#]/g, '\\$&')
      // GFM links bare URLs (scheme:// and www.) on its own.
      .replace(/:(?=\/\/)/g, '\\:')
      .replace(/\b(www)\./gi, '$1\\.')
      .replace(/^(\s*)([-+=])/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
  );
}

const textLines = (text: string) => text.split(/\r\n|\r|\n/).map(markdownText);

/**
 * show-notes.md: the running order with names, topics, notes, a transcript excerpt and lengths,
 * ready to edit. Every
 * string a listener or the team typed is escaped (markdownText).
 */
export function showNotes(title: string, entries: BundleEntry[]): string {
  const total = entries.reduce((sum, e) => sum + (e.submission.processing.durationSeconds ?? 0), 0);
  const lines = [
    `# ${markdownText(title)}`,
    '',
    `${entries.length} ${entries.length === 1 ? 'Sprachnachricht' : 'Sprachnachrichten'}, ${clock(total)} insgesamt.`,
    '',
  ];
  for (const { position, filename, submission: s } of entries) {
    const topic = s.topic ? ` – ${markdownText(s.topic)}` : '';
    const length = clock(s.processing.durationSeconds ?? 0);
    lines.push(`${position}. **${markdownText(s.name)}**${topic} (${length})`);
    lines.push(`   Datei: \`${filename}\` · Einwilligung: ${s.consent.at}`);
    if (s.message) lines.push(...textLines(s.message).map((line) => `   > ${line}`));
    if (s.transcript.text) {
      const excerpt = markdownText(firstLine(s.transcript.text, 280));
      lines.push(`   > Transkript${s.transcript.edited ? '' : ' (maschinell)'}: „${excerpt}“`);
    }
    if (s.review.note) {
      const [first, ...rest] = textLines(s.review.note);
      lines.push(`   > Redaktion: ${first}`, ...rest.map((line) => `   > ${line}`));
    }
    lines.push('');
  }
  return lines.join('\n');
}
