import { downloadToFile } from '../storage/download-to-file';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { GhostAdminApi, GhostPost } from '@tryghost/admin-api';
import type { Config } from '../config';
import { chapterTitle } from '../episodes/chapter-title';
import { episodeClips, type EpisodeClipsDeps } from '../episodes/episode-clips';
import type { BlobStore } from '../storage/blob-store';
import { keys } from '../storage/keys';
import { clipFilename } from '../submissions/clip-filename';
import type { Submission } from '../submissions/submission';
import { draftIntro, draftTitle } from './draft-texts';
import { draftLexical } from './draft-lexical';
import { ghostClient } from './ghost-client';
import { newsletterAllowed, type NewsletterDraft } from './newsletter-draft';

export interface DraftJobDeps extends EpisodeClipsDeps {
  config: Config;
  store: BlobStore;
  tempDir: string;
}

/** Ghost's address and key from the configuration, or undefined when no Ghost is set up. */
export function ghostSettings(config: Config) {
  if (!config.GHOST_URL || !config.GHOST_ADMIN_API_KEY) return undefined;
  return {
    url: config.GHOST_URL,
    adminApiKey: config.GHOST_ADMIN_API_KEY,
    timeoutMs: config.GHOST_TIMEOUT_SECONDS * 1000,
  };
}

/**
 * The episode's newsletter draft in Ghost: uploads each allowed clip's MP3 once (what is uploaded
 * is recorded before the next upload, so a retry goes on where it stopped), then creates the
 * draft post or rewrites the one made before, with one audio card per clip in running order.
 * A post that is no longer a draft is left alone: a new draft is made instead.
 */
export async function sendNewsletterDraft(
  deps: DraftJobDeps,
  episode: string,
): Promise<{ cards: number; uploaded: number }> {
  const settings = ghostSettings(deps.config);
  if (!settings) throw new Error('No Ghost is configured (GHOST_URL, GHOST_ADMIN_API_KEY).');
  const api = ghostClient(settings);
  const clips = await episodeClips(deps, episode);
  const previous = await deps.episodes.readNewsletter(episode);
  const allowed = clips.filter(newsletterAllowed);
  const draft: NewsletterDraft = {
    ...previous,
    episode,
    state: 'sending',
    updatedAt: new Date().toISOString(),
    // Uploads of clips no longer in the episode are forgotten (an erased clip's above all).
    media: Object.fromEntries(
      Object.entries(previous?.media ?? {}).filter(([id]) => allowed.some((c) => c.id === id)),
    ),
    cards: previous?.cards.filter((id) => allowed.some((c) => c.id === id)) ?? [],
    left: clips
      .filter((c) => !newsletterAllowed(c))
      .map((c) => ({ id: c.id, title: chapterTitle(c), reason: 'no-newsletter-consent' as const })),
  };
  delete draft.error;
  await deps.episodes.writeNewsletter(draft);

  let uploaded = 0;
  const workDir = await mkdtemp(path.join(deps.tempDir, 'newsletter-'));
  try {
    for (const clip of allowed) {
      const render = clip.processing.updatedAt ?? '';
      if (draft.media[clip.id]?.render === render) continue;
      const file = path.join(workDir, clipFilename(clip, 'mp3'));
      await downloadToFile(deps.store, keys.clip(clip.id, 'mp3'), file);
      const media = await api.media.upload({ file, ref: clip.id });
      draft.media[clip.id] = { url: media.url, render };
      uploaded += 1;
      await deps.episodes.writeNewsletter({ ...draft, updatedAt: new Date().toISOString() });
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  const lexical = draftLexical(
    draftIntro(deps.config, episode, allowed.length),
    allowed.map((clip) => card(clip, draft.media[clip.id]!.url)),
  );
  const post = await writePost(api, previous?.postId, {
    title: draftTitle(deps.config, episode),
    lexical,
  });
  await deps.episodes.writeNewsletter({
    ...draft,
    state: 'sent',
    updatedAt: new Date().toISOString(),
    postId: post.id,
    editorUrl: `${settings.url.replace(/\/+$/, '')}/ghost/#/editor/post/${post.id}`,
    previewUrl: post.url,
    cards: allowed.map((c) => c.id),
  });
  return { cards: allowed.length, uploaded };
}

/**
 * The quote under a card: what the listener said, once the team has read and corrected its
 * transcript; otherwise the note the listener wrote. A machine transcript is never quoted as is.
 */
function quoteOf(clip: Submission): string | undefined {
  return clip.transcript.edited ? clip.transcript.text : clip.message;
}

function card(clip: Submission, src: string) {
  const quote = quoteOf(clip);
  return {
    title: chapterTitle(clip),
    src,
    durationSeconds: clip.processing.durationSeconds ?? 0,
    mimeType: 'audio/mpeg',
    ...(quote !== undefined && { quote }),
  };
}

async function writePost(
  api: GhostAdminApi,
  postId: string | undefined,
  content: { title: string; lexical: string },
): Promise<GhostPost> {
  if (postId) {
    const existing = await api.posts.read({ id: postId }).catch((error: unknown) => {
      if ((error as { name?: string }).name === 'NotFoundError') return undefined;
      throw error;
    });
    if (existing?.status === 'draft')
      return api.posts.edit({ id: postId, updated_at: existing.updated_at, ...content });
  }
  return api.posts.add({ ...content, status: 'draft' });
}
