import type { EngineSegment } from '../../src/transcripts/engine-protocol';
import { detectedLanguage, shapeSegments } from '../../src/transcripts/shape-transcript';
import { firstLine, transcriptView } from '../../src/transcripts/transcript';

const token = (text: string, id: number, from: number, to: number, p = 0.9) => ({
  text,
  id,
  p,
  from,
  to,
});

describe('shapeSegments', () => {
  it('joins sub-word tokens into words, drops special tokens, and keeps times in seconds', () => {
    const segments: EngineSegment[] = [
      {
        from: 0,
        to: 2400,
        text: ' Hallo Podcastteam!',
        lang: 'de',
        tokens: [
          token('[_BEG_]', 50364, 0, 0),
          token(' Hallo', 1012, 100, 600),
          token(' Pod', 2000, 700, 1000, 0.8),
          token('cast', 2001, 1000, 1300, 0.5),
          token('team', 2002, 1300, 1700),
          token('!', 0, 1700, 1800),
          token('[_TT_120]', 50484, 2400, 2400),
        ],
      },
    ];
    expect(shapeSegments(segments, 10)).toEqual([
      {
        start: 0,
        end: 2.4,
        text: 'Hallo Podcastteam!',
        words: [
          { start: 0.1, end: 0.6, text: 'Hallo', p: 0.9 },
          { start: 0.7, end: 1.8, text: 'Podcastteam!', p: 0.5 },
        ],
      },
    ]);
  });

  it('keeps segments and words inside the clip, and drops empty ones or ones past its end', () => {
    const segments: EngineSegment[] = [
      {
        from: 1000,
        to: 31000,
        text: ' zu lang ',
        lang: 'de',
        tokens: [token(' zu', 1, 1000, 29000)],
      },
      { from: 5000, to: 6000, text: '   ', lang: 'de', tokens: [] },
      { from: 30000, to: 30000, text: ' danach', lang: 'de', tokens: [] },
    ];
    const shaped = shapeSegments(segments, 4.25);
    expect(shaped).toHaveLength(1);
    expect(shaped[0]).toMatchObject({ start: 1, end: 4.25, text: 'zu lang' });
    expect(shaped[0]!.words![0]!.end).toBe(4.25);
  });

  it('names the language the engine detected, or what was asked for', () => {
    expect(detectedLanguage([{ from: 0, to: 1, text: 'x', lang: 'en', tokens: [] }], 'auto')).toBe(
      'en',
    );
    expect(detectedLanguage([], 'de')).toBe('de');
    expect(detectedLanguage([], 'auto')).toBe('und');
  });
});

describe('transcript views', () => {
  it('prefers the team’s correction, and says queued or off without a document', () => {
    expect(transcriptView(true, undefined, undefined)).toEqual({ state: 'queued' });
    expect(transcriptView(false, undefined, undefined)).toEqual({ state: 'off' });
    const doc = {
      state: 'ready' as const,
      attempt: 1,
      updatedAt: '2026-12-05T10:00:00Z',
      result: {
        language: 'de',
        text: 'Halo aus Köln',
        segments: [],
        durationSeconds: 2,
        seconds: 1,
        realTimeFactor: 0.5,
      },
    };
    expect(transcriptView(true, doc, undefined)).toEqual({
      state: 'ready',
      language: 'de',
      text: 'Halo aus Köln',
    });
    expect(
      transcriptView(true, doc, { text: 'Hallo aus Köln', updatedAt: '2026-12-05T11:00:00Z' }),
    ).toEqual({ state: 'ready', language: 'de', text: 'Hallo aus Köln', edited: true });
  });

  it('cuts the first line at a word, with an ellipsis', () => {
    expect(firstLine('  kurz\n und gut ')).toBe('kurz und gut');
    const long = 'wort '.repeat(60);
    const line = firstLine(long, 50);
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(51);
    expect(line).not.toContain('wor…');
  });
});
