import { createHash } from 'node:crypto';

/**
 * Every object key hallo writes is built here, so the layout can be read in one place:
 *   submissions/<id>/listener.json    what the listener sent, with the consent record (written once, by the API)
 *   submissions/<id>/processing.json  the processing result (written only by the worker)
 *   submissions/<id>/review.json      the review state (written only by reviewers)
 *   submissions/<id>/original.<ext>   the uploaded audio, byte for byte
 *   submissions/<id>/clip.wav|mp3     podcast-ready clips
 *   submissions/<id>/peaks.json       waveform peaks for the inbox
 *   submissions/<id>/transcript.json  what the speech engine heard (written only by the transcribe worker)
 *   submissions/<id>/transcript-edit.json  the team's correction of it (written only by reviewers)
 *   submissions/<id>/replies/<reply id>/reply.json     the team's voice reply (written by the team)
 *   submissions/<id>/replies/<reply id>/delivery.json  its render and mail (written only by the worker)
 *   submissions/<id>/replies/<reply id>/answer.json    the listener's answer to it (written once, by the API)
 *   submissions/<id>/replies/<reply id>/original.<ext>, reply.mp3
 *   reply-links/<sha256 of link token>.json            which reply a private link opens (only its hash is kept)
 *   episodes/<episode key>/order.json                  the editor's running order of the episode's clips
 *   episodes/<episode key>/segment.json                the last rendered voice segment (written only by the worker)
 *   episodes/<episode key>/segments/<hash>/segment.wav|mp3, labels.txt, chapters.json
 *   episodes/<episode key>/newsletter.json             the episode's Ghost draft (written only by the worker)
 *   jingles/<intro|between|outro>/jingle.json, clip.wav|mp3   the segment's jingles (the owner's, rendered like a clip)
 *   accounts/<account id>.json        a team member's account (id derived from the e-mail)
 *   api-tokens/<sha256 of token>.json a personal API token (only its hash is kept)
 */
export const SUBMISSIONS_PREFIX = 'submissions/';
export const ACCOUNTS_PREFIX = 'accounts/';
export const API_TOKENS_PREFIX = 'api-tokens/';
export const REPLY_LINKS_PREFIX = 'reply-links/';
export const EPISODES_PREFIX = 'episodes/';

/** An episode's folder name: its label is free text (spaces, #), the key is 32 hex digits of it. */
export function episodeKey(episode: string): string {
  return createHash('sha256').update(episode.normalize('NFC')).digest('hex').slice(0, 32);
}

function episodePrefix(episode: string): string {
  return `${EPISODES_PREFIX}${episodeKey(episode)}/`;
}

export const JINGLE_SLOTS = ['intro', 'between', 'outro'] as const;
export type JingleSlot = (typeof JINGLE_SLOTS)[number];
export const isJingleSlot = (slot: string): slot is JingleSlot =>
  (JINGLE_SLOTS as readonly string[]).includes(slot);

export const SEGMENT_FILES = ['segment.wav', 'segment.mp3', 'labels.txt', 'chapters.json'] as const;
export type SegmentFile = (typeof SEGMENT_FILES)[number];

const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isSubmissionId(id: string): boolean {
  return ID_PATTERN.test(id);
}

function submissionPrefix(id: string): string {
  if (!isSubmissionId(id)) throw new Error(`Not a submission id: ${JSON.stringify(id)}`);
  return `${SUBMISSIONS_PREFIX}${id}/`;
}

export type ClipVariant = 'wav' | 'mp3';

/** Reply ids are ULIDs, like submission ids. */
export const isReplyId = isSubmissionId;

function replyPrefix(id: string, replyId: string): string {
  if (!isReplyId(replyId)) throw new Error(`Not a reply id: ${JSON.stringify(replyId)}`);
  return `${submissionPrefix(id)}replies/${replyId}/`;
}

export const keys = {
  submissionPrefix,
  listener: (id: string) => `${submissionPrefix(id)}listener.json`,
  processing: (id: string) => `${submissionPrefix(id)}processing.json`,
  review: (id: string) => `${submissionPrefix(id)}review.json`,
  original: (id: string, extension: string) => {
    if (!/^[a-z0-9]{2,5}$/.test(extension)) throw new Error(`Bad extension: ${extension}`);
    return `${submissionPrefix(id)}original.${extension}`;
  },
  clip: (id: string, variant: ClipVariant) => `${submissionPrefix(id)}clip.${variant}`,
  peaks: (id: string) => `${submissionPrefix(id)}peaks.json`,
  transcript: (id: string) => `${submissionPrefix(id)}transcript.json`,
  transcriptEdit: (id: string) => `${submissionPrefix(id)}transcript-edit.json`,
  repliesPrefix: (id: string) => `${submissionPrefix(id)}replies/`,
  replyPrefix,
  reply: (id: string, replyId: string) => `${replyPrefix(id, replyId)}reply.json`,
  replyDelivery: (id: string, replyId: string) => `${replyPrefix(id, replyId)}delivery.json`,
  replyAnswer: (id: string, replyId: string) => `${replyPrefix(id, replyId)}answer.json`,
  replyOriginal: (id: string, replyId: string, extension: string) => {
    if (!/^[a-z0-9]{2,5}$/.test(extension)) throw new Error(`Bad extension: ${extension}`);
    return `${replyPrefix(id, replyId)}original.${extension}`;
  },
  replyAudio: (id: string, replyId: string) => `${replyPrefix(id, replyId)}reply.mp3`,
  replyLink: (tokenSha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(tokenSha256)) throw new Error('Not a link hash');
    return `${REPLY_LINKS_PREFIX}${tokenSha256}.json`;
  },
  episodeOrder: (episode: string) => `${episodePrefix(episode)}order.json`,
  segmentDocument: (episode: string) => `${episodePrefix(episode)}segment.json`,
  newsletterDraft: (episode: string) => `${episodePrefix(episode)}newsletter.json`,
  segmentsPrefix: (episode: string) => `${episodePrefix(episode)}segments/`,
  segmentFile: (episode: string, hash: string, file: SegmentFile) => {
    if (!/^[0-9a-f]{16}$/.test(hash)) throw new Error('Not a segment hash');
    return `${episodePrefix(episode)}segments/${hash}/${file}`;
  },
  jingle: (slot: JingleSlot) => `jingles/${slot}/jingle.json`,
  jingleClip: (slot: JingleSlot, variant: ClipVariant) => `jingles/${slot}/clip.${variant}`,
  healthProbe: (nonce: string) => `.health/${nonce}`,
  account: (accountId: string) => {
    if (!/^[0-9a-f]{32}$/.test(accountId)) throw new Error(`Not an account id: ${accountId}`);
    return `${ACCOUNTS_PREFIX}${accountId}.json`;
  },
  apiToken: (tokenSha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(tokenSha256)) throw new Error('Not a token hash');
    return `${API_TOKENS_PREFIX}${tokenSha256}.json`;
  },
};

/** The submission id a listener document's key belongs to, or undefined for any other key. */
export function submissionIdOfListenerKey(key: string): string | undefined {
  const match = /^submissions\/([0-9A-Z]{26})\/listener\.json$/.exec(key);
  return match?.[1] !== undefined && isSubmissionId(match[1]) ? match[1] : undefined;
}

/** The reply id a reply document's key belongs to, or undefined for any other key. */
export function replyIdOfReplyKey(key: string): string | undefined {
  const match = /^submissions\/[0-9A-Z]{26}\/replies\/([0-9A-Z]{26})\/reply\.json$/.exec(key);
  return match?.[1] !== undefined && isReplyId(match[1]) ? match[1] : undefined;
}
