/**
 * The newsletter draft's body in Ghost's editor format (Lexical JSON): an introduction, then per
 * clip an audio card (Ghost's own `audio` node: src, title, duration, mime type) and, where the
 * listener wrote something, a quote of it. Text goes in as text nodes, never as HTML, so nothing
 * a listener typed can become markup.
 */

export interface DraftCard {
  title: string;
  src: string;
  durationSeconds: number;
  mimeType: string;
  quote?: string;
}

const text = (value: string) => ({
  type: 'extended-text',
  text: value,
  format: 0,
  detail: 0,
  mode: 'normal',
  style: '',
  version: 1,
});

const block = (type: 'paragraph' | 'quote', value: string) => ({
  type,
  children: value
    .split('\n')
    .flatMap((line, i) =>
      i === 0 ? [text(line)] : [{ type: 'linebreak', version: 1 }, text(line)],
    ),
  direction: 'ltr',
  format: '',
  indent: 0,
  version: 1,
});

const audio = (card: DraftCard) => ({
  type: 'audio',
  version: 1,
  src: card.src,
  title: card.title,
  duration: Math.round(card.durationSeconds),
  mimeType: card.mimeType,
  thumbnailSrc: '',
});

export function draftLexical(intro: string, cards: readonly DraftCard[]): string {
  const children = [block('paragraph', intro)];
  for (const card of cards) {
    children.push(audio(card) as never);
    if (card.quote) children.push(block('quote', card.quote));
  }
  return JSON.stringify({
    root: { type: 'root', children, direction: 'ltr', format: '', indent: 0, version: 1 },
  });
}
