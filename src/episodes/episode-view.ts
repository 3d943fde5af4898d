import { newsletterAllowed, type NewsletterDraft } from '../newsletter/newsletter-draft';
import type { JobQueues } from '../queue/job-queues';
import type { Submission } from '../submissions/submission';
import { chapterTitle } from './chapter-title';
import type { SegmentDocument } from './episode';
import type { JingleSet, Jingles } from './jingles';
import { episodeClips, segmentHash, type EpisodeClipsDeps } from './episode-clips';

export type SegmentState = 'empty' | 'none' | 'queued' | 'rendering' | 'ready' | 'failed';

export interface EpisodeView {
  episode: string;
  clips: {
    id: string;
    title: string;
    receivedAt: string;
    durationSeconds?: number;
    /** The listener allowed the newsletter too. */
    newsletter: boolean;
  }[];
  /** The owner's jingles that go into every segment. */
  jingles: JingleSet;
  segment: {
    state: SegmentState;
    /** Names the current selection; the job and the files go by it. */
    hash: string;
    gapSeconds: number;
    progress?: number;
    error?: string;
    /** The last rendered segment, when it is the current selection's. */
    rendered?: Pick<SegmentDocument, 'renderedAt' | 'durationSeconds' | 'chapters'>;
    /** A segment was rendered before, from another selection or order. */
    outdated?: boolean;
  };
  newsletter: {
    /** A Ghost is set up (GHOST_URL, GHOST_ADMIN_API_KEY). */
    configured: boolean;
    state: 'none' | 'queued' | NewsletterDraft['state'];
  } & Partial<
    Pick<NewsletterDraft, 'editorUrl' | 'previewUrl' | 'cards' | 'left' | 'error' | 'updatedAt'>
  >;
}

export interface EpisodeViewDeps extends EpisodeClipsDeps {
  queues: JobQueues;
  jingles: Jingles;
  config: { SEGMENT_GAP_SECONDS: number; GHOST_URL?: string | undefined };
}

/** What the inbox shows of an episode: its clips in order and where its segment stands. */
export async function episodeView(deps: EpisodeViewDeps, episode: string): Promise<EpisodeView> {
  const [clips, jingles] = await Promise.all([episodeClips(deps, episode), deps.jingles.all()]);
  const gapSeconds = deps.config.SEGMENT_GAP_SECONDS;
  const hash = segmentHash(clips, gapSeconds, jingles);
  return {
    episode,
    clips: clips.map(clipRow),
    jingles,
    segment: { hash, gapSeconds, ...(await segmentState(deps, episode, hash, clips.length)) },
    newsletter: await newsletterState(deps, episode),
  };
}

async function newsletterState(
  deps: EpisodeViewDeps,
  episode: string,
): Promise<EpisodeView['newsletter']> {
  const configured = Boolean(deps.config.GHOST_URL);
  const [draft, job] = await Promise.all([
    deps.episodes.readNewsletter(episode),
    deps.queues.job('newsletter', { episode }),
  ]);
  const jobState = await job?.getState();
  // The job decides while it is there: a page that read "none" in the moment between the job
  // starting and its first write would stop following it.
  const running: EpisodeView['newsletter']['state'] | undefined =
    jobState === 'active'
      ? draft?.state === 'retrying'
        ? 'retrying'
        : 'sending'
      : jobState && ['waiting', 'delayed', 'prioritized'].includes(jobState)
        ? draft?.state === 'retrying'
          ? 'retrying'
          : 'queued'
        : undefined;
  if (!draft) return { configured, state: running ?? 'none' };
  const { state, editorUrl, previewUrl, cards, left, error, updatedAt } = draft;
  return {
    configured,
    state: running ?? state,
    cards,
    left,
    updatedAt,
    ...(editorUrl && { editorUrl }),
    ...(previewUrl && { previewUrl }),
    ...(error && { error }),
  };
}

function clipRow(s: Submission): EpisodeView['clips'][number] {
  return {
    id: s.id,
    title: chapterTitle(s),
    receivedAt: s.receivedAt,
    newsletter: newsletterAllowed(s),
    ...(s.processing.durationSeconds !== undefined && {
      durationSeconds: s.processing.durationSeconds,
    }),
  };
}

async function segmentState(
  deps: EpisodeViewDeps,
  episode: string,
  hash: string,
  clipCount: number,
): Promise<Omit<EpisodeView['segment'], 'hash' | 'gapSeconds'>> {
  if (clipCount === 0) return { state: 'empty' };
  const doc = await deps.episodes.readSegment(episode);
  if (doc?.hash === hash) {
    const { renderedAt, durationSeconds, chapters } = doc;
    return { state: 'ready', progress: 100, rendered: { renderedAt, durationSeconds, chapters } };
  }
  const outdated = doc !== undefined && { outdated: true };
  const job = await deps.queues.job('segment', { episode, hash });
  const state = job && (await job.getState());
  if (state === 'active') {
    const progress = typeof job?.progress === 'number' ? job.progress : 0;
    return { state: 'rendering', progress, ...outdated };
  }
  if (state === 'failed') return { state: 'failed', error: job?.failedReason ?? '', ...outdated };
  if (state && state !== 'completed' && state !== 'unknown')
    return { state: 'queued', ...outdated };
  return { state: 'none', ...outdated };
}
