/**
 * A clip's chapter: "Name — topic", as the listener gave them (the name is how they want to be
 * heard on air, e.g. "Anna aus Berlin"). Plain text: each output escapes it in its own way.
 */
export function chapterTitle(listener: { name: string; topic?: string }): string {
  const clean = (s: string) =>
    s
      .replace(/\p{Cc}+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const topic = listener.topic === undefined ? '' : clean(listener.topic);
  return topic ? `${clean(listener.name)} — ${topic}` : clean(listener.name);
}
