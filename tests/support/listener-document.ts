import type { ListenerDocument } from '../../src/submissions/submission';

/** A listener document as intake would write it, for tests that fill the index directly. */
export function listenerDocument(
  id: string,
  fields: Pick<ListenerDocument, 'name'> &
    Partial<Pick<ListenerDocument, 'email' | 'topic' | 'message'>> & { durationSeconds?: number },
): ListenerDocument {
  const at = new Date().toISOString();
  const { durationSeconds = 3, ...listener } = fields;
  return {
    schemaVersion: 1,
    id,
    receivedAt: at,
    locale: 'de',
    ...listener,
    consent: { given: true, version: 'v', textSha256: 'h', locale: 'de', at },
    original: {
      key: `submissions/${id}/original.webm`,
      container: 'webm',
      bytes: 1,
      sha256: 's',
      durationSeconds,
    },
  };
}
