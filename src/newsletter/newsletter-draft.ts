import type { Submission } from '../submissions/submission';

/** What hallo knows of an episode's Ghost draft (written only by the worker). */
export interface NewsletterDraft {
  episode: string;
  state: 'sending' | 'retrying' | 'sent' | 'failed';
  updatedAt: string;
  /** Ghost's post, once created. */
  postId?: string;
  editorUrl?: string;
  previewUrl?: string;
  /** Each clip's MP3 as uploaded to Ghost, with the render it came from: never uploaded twice. */
  media: Record<string, { url: string; render: string }>;
  /** The clips in the draft, in order. */
  cards: string[];
  /** Clips of the episode kept out of the draft, and why. */
  left: { id: string; title: string; reason: 'no-newsletter-consent' }[];
  /** Why the last attempt failed, in words for the inbox. */
  error?: string;
}

/** Only a listener who ticked the newsletter box (a consent text that asked for it) goes in. */
export const newsletterAllowed = (clip: Submission): boolean =>
  clip.consent.newsletter?.given === true;
