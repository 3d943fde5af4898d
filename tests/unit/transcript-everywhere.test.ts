import { parse } from 'csv-parse/sync';
import { readyMail } from '../../src/notifications/team-mails';
import { webhookPayload } from '../../src/notifications/webhook-payload';
import { clipsCsv, showNotes } from '../../src/submissions/bundle-documents';
import { assembleSubmission } from '../../src/submissions/submission';
import type { TranscriptView } from '../../src/transcripts/transcript';
import { listenerDocument } from '../support/listener-document';

const ID = '01JDQ0000000000000000000AB';
const long = `Hallo ihr zwei, ich höre euch *jeden* Morgen. ${'Und noch viel mehr. '.repeat(30)}`;

const withTranscript = (transcript: TranscriptView) =>
  assembleSubmission(listenerDocument(ID, { name: 'Anna' }), undefined, undefined, transcript);

describe('the transcript outside the inbox', () => {
  const machine = withTranscript({ state: 'ready', language: 'de', text: long });

  it('the team mail quotes its first words, never the whole text', () => {
    const mail = readyMail(machine, 'de', 'https://hallo.example');
    const line = mail.text.split('\n').find((l) => l.startsWith('Transkript: '));
    expect(line).toMatch(/^Transkript: „Hallo ihr zwei, ich höre euch \*jeden\* Morgen\. .*…“$/);
    expect(line!.length).toBeLessThan(330);
    const without = readyMail(withTranscript({ state: 'queued' }), 'de', 'https://hallo.example');
    expect(without.text).not.toContain('Transkript');
  });

  it('clips.csv carries language and text; show notes an escaped excerpt', () => {
    const entry = { position: 1, filename: '01-anna.wav', submission: machine };
    const [row] = parse(clipsCsv([entry]).replace(/^\uFEFF/, ''), { columns: true }) as Record<
      string,
      string
    >[];
    expect(row!.transcript_language).toBe('de');
    expect(row!.transcript).toBe(long);
    const notes = showNotes('Folge 1', [entry]);
    expect(notes).toContain(
      '> Transkript (maschinell): „Hallo ihr zwei, ich höre euch \\*jeden\\* Morgen.',
    );
    const edited = withTranscript({
      state: 'ready',
      language: 'de',
      text: 'Korrigiert.',
      edited: true,
    });
    expect(showNotes('Folge 1', [{ ...entry, submission: edited }])).toContain(
      '> Transkript: „Korrigiert.“',
    );
  });

  it('the webhook says state and language, not the words', () => {
    const payload = webhookPayload(
      'submission.transcribed',
      'now',
      ID,
      'https://h.example',
      machine,
    );
    expect(payload.submission.transcript).toEqual({ state: 'ready', language: 'de' });
    expect(JSON.stringify(payload)).not.toContain('Morgen');
  });
});
