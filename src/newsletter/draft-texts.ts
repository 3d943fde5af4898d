import type { Config } from '../config';

/** The draft's title and first paragraph, in the podcast's language; the author rewrites them. */
export function draftTitle(config: Config, episode: string): string {
  return config.DEFAULT_LOCALE === 'de'
    ? `${episode}: eure Sprachnachrichten`
    : `${episode}: your voice messages`;
}

export function draftIntro(config: Config, episode: string, count: number): string {
  return config.DEFAULT_LOCALE === 'de'
    ? `${count === 1 ? 'Eine Sprachnachricht' : `${count} Sprachnachrichten`} von euch zu „${episode}“ von ${config.PODCAST_NAME}.`
    : `${count === 1 ? 'One voice message' : `${count} voice messages`} from you for "${episode}" of ${config.PODCAST_NAME}.`;
}
