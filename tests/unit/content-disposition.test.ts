import { attachmentDisposition } from '../../src/storage/content-disposition';

/** Splits the header into its `filename` and decoded `filename*` values. */
function parse(header: string): { fallback: string; utf8: string } {
  const match =
    /^attachment; filename="([^"]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(header);
  if (!match?.[1] || match[2] === undefined) throw new Error(`Unexpected header: ${header}`);
  return { fallback: match[1], utf8: decodeURIComponent(match[2]) };
}

describe('attachmentDisposition', () => {
  it('passes a plain ASCII name through both parameters', () => {
    expect(attachmentDisposition('clip.mp3')).toBe(
      `attachment; filename="clip.mp3"; filename*=UTF-8''clip.mp3`,
    );
  });

  it('keeps the UTF-8 name in filename* and strips accents for the fallback', () => {
    const header = attachmentDisposition('Grüße aus Köln – Émilie.mp3');
    expect(parse(header)).toEqual({
      fallback: 'Gru_e aus Koln _ Emilie.mp3',
      utf8: 'Grüße aus Köln – Émilie.mp3',
    });
    expect(header).toContain(
      "filename*=UTF-8''Gr%C3%BC%C3%9Fe%20aus%20K%C3%B6ln%20%E2%80%93%20%C3%89milie.mp3",
    );
  });

  it('replaces non-Latin scripts and emoji in the fallback only', () => {
    expect(parse(attachmentDisposition('こんにちは 🎙.wav'))).toEqual({
      fallback: '_____ _.wav',
      utf8: 'こんにちは 🎙.wav',
    });
  });

  it('never lets quotes, backslashes or percent signs into the quoted fallback', () => {
    const { fallback, utf8 } = parse(attachmentDisposition('say "hi" 100% a\\b.mp3'));
    expect(fallback).toBe('say _hi_ 100_ a_b.mp3');
    expect(utf8).toBe('say "hi" 100% a_b.mp3');
  });

  it("percent-encodes ' ( ) * which encodeURIComponent leaves alone", () => {
    expect(attachmentDisposition("it's (a)*.mp3")).toContain(
      "filename*=UTF-8''it%27s%20%28a%29%2A.mp3",
    );
  });

  it('strips CR/LF and other controls so the header cannot be split', () => {
    const header = attachmentDisposition('a\r\nSet-Cookie: x=1\u0000.mp3');
    expect(header).not.toMatch(/[\r\n\0]/);
    expect(parse(header).utf8).toBe('aSet-Cookie: x=1.mp3');
  });

  it('removes bidi overrides that disguise the extension', () => {
    expect(parse(attachmentDisposition('clip\u202E3pm.exe')).utf8).toBe('clip3pm.exe');
  });

  it('turns path separators into underscores', () => {
    expect(parse(attachmentDisposition('../../etc/passwd')).utf8).toBe('.._.._etc_passwd');
  });

  it('falls back to "download" for an empty or unrepresentable name', () => {
    expect(parse(attachmentDisposition('  '))).toEqual({ fallback: 'download', utf8: 'download' });
    expect(parse(attachmentDisposition('\u0007'))).toEqual({
      fallback: 'download',
      utf8: 'download',
    });
  });

  it('does not throw on a lone surrogate', () => {
    expect(parse(attachmentDisposition('a\uD800b.mp3')).utf8).toBe('a\uFFFDb.mp3');
  });
});
