import { stringify } from 'csv-stringify/sync';
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
 * clips.csv: one row per clip for the editor's notes or a spreadsheet. UTF-8 with a BOM (so Excel
 * reads umlauts), cells that could run as formulas escaped. No e-mail: the editor needs none.
 */
export function clipsCsv(entries: BundleEntry[]): string {
  return stringify(
    entries.map(({ position, filename, submission: s }) => ({
      position,
      file: filename,
      name: s.name,
      topic: s.topic ?? '',
      note: s.message ?? '',
      team_note: s.review.note ?? '',
      // Numbers stay numbers: formula escaping applies to text cells only, not to "-16.1".
      duration_seconds: round1(s.processing.durationSeconds ?? 0),
      loudness_lufs: s.processing.outputLoudness
        ? round1(s.processing.outputLoudness.integratedLufs)
        : '',
      received_at: s.receivedAt,
      consent_at: s.consent.at,
      consent_version: s.consent.version,
      submission_id: s.id,
    })),
    { header: true, bom: true, escape_formulas: true, record_delimiter: 'windows' },
  );
}

/** show-notes.md: the running order with names, topics, notes and lengths, ready to edit. */
export function showNotes(title: string, entries: BundleEntry[]): string {
  const total = entries.reduce((sum, e) => sum + (e.submission.processing.durationSeconds ?? 0), 0);
  const lines = [
    `# ${title}`,
    '',
    `${entries.length} ${entries.length === 1 ? 'Sprachnachricht' : 'Sprachnachrichten'}, ${clock(total)} insgesamt.`,
    '',
  ];
  for (const { position, filename, submission: s } of entries) {
    const topic = s.topic ? ` – ${s.topic}` : '';
    lines.push(`${position}. **${s.name}**${topic} (${clock(s.processing.durationSeconds ?? 0)})`);
    lines.push(`   Datei: \`${filename}\` · Einwilligung: ${s.consent.at}`);
    for (const text of [s.message, s.review.note && `Redaktion: ${s.review.note}`]) {
      if (text) lines.push(...text.split(/\r?\n/).map((line) => `   > ${line}`));
    }
    lines.push('');
  }
  return lines.join('\n');
}
