import { sniffContainer, SNIFF_BYTES, type AudioContainer } from './sniff';
import { readWavHeader, type PcmLayout } from './wav-header';

/**
 * How an upload is checked while it arrives, decided from its first bytes:
 *   - `wav-pcm`: measured in Node from the samples (no process at all);
 *   - `decode-stream`: ffmpeg decodes the bytes from a pipe as they come (WebM, Ogg, MP3, FLAC,
 *     AMR, other WAV, and MP4 whose `moov` comes first: fragmented (Safari) or fast-start);
 *   - `after-upload`: ffmpeg reads the finished temp file, for formats it must seek in (MP4 with
 *     `moov` at the end, as phones write voice memos; CAF, whose packet table may follow the data;
 *     AIFF, whose COMM chunk may follow its sound data);
 *   - `unsupported`: not audio hallo reads; refused at once (`corrupt`: a WAV header that lies).
 */
export type InspectionPlan =
  | { kind: 'need-more' }
  | { kind: 'unsupported' }
  /** A WAV header that contradicts itself: never trusted, never handed to a decoder. */
  | { kind: 'corrupt'; problem: string }
  | { kind: 'wav-pcm'; layout: PcmLayout }
  | { kind: 'decode-stream'; container: AudioContainer }
  | { kind: 'after-upload'; container: AudioContainer };

/** A plan not found in this many bytes falls back to inspecting the finished file. */
export const PLAN_SEARCH_BYTES = 256 * 1024;

const PIPE_CONTAINERS: ReadonlySet<AudioContainer> = new Set(['webm', 'ogg', 'mp3', 'flac', 'amr']);

/** Whether an ISO-BMFF file's `moov` (or a fragment) comes before its media data. */
function mp4MoovFirst(b: Buffer): boolean | 'need-more' {
  let at = 0;
  while (at + 8 <= b.length) {
    let size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (type === 'moov' || type === 'moof') return true;
    if (type === 'mdat') return false;
    if (size === 1) {
      if (at + 16 > b.length) return 'need-more';
      size = Number(b.readBigUInt64BE(at + 8));
    }
    if (size < 8) return false; // 0 = "to the end of the file": nothing follows it
    at += size;
  }
  return 'need-more';
}

/**
 * `complete` says the bytes are the whole file (it ended before a plan was found): then any
 * undecided plan falls back to reading the file.
 */
export function planInspection(head: Buffer, complete = false): InspectionPlan {
  if (head.length < SNIFF_BYTES && !complete) return { kind: 'need-more' };
  const container = sniffContainer(head);
  if (!container) return { kind: 'unsupported' };
  const undecided = (): InspectionPlan =>
    complete || head.length >= PLAN_SEARCH_BYTES
      ? { kind: 'after-upload', container }
      : { kind: 'need-more' };

  if (PIPE_CONTAINERS.has(container)) return { kind: 'decode-stream', container };
  if (container === 'wav') {
    const header = readWavHeader(head);
    if (header.kind === 'pcm') return { kind: 'wav-pcm', layout: header.layout };
    if (header.kind === 'corrupt') return header;
    if (header.kind === 'other')
      return header.fromFileOnly
        ? { kind: 'after-upload', container }
        : { kind: 'decode-stream', container };
    return undecided();
  }
  if (container === 'mp4') {
    const moovFirst = mp4MoovFirst(head);
    if (moovFirst === 'need-more') return undecided();
    return moovFirst ? { kind: 'decode-stream', container } : { kind: 'after-upload', container };
  }
  return { kind: 'after-upload', container };
}
