import { ChannelStats } from './channel-choice';
import { INSPECT_RATE } from './ffmpeg-args';
import { floatFrames } from './float-frames';
import type { ProcessFailedError } from './run-process';
import { factsFromStats, type UploadFacts } from './upload-facts';

/**
 * Judges one ffmpeg decode of an upload (two channels at 16 kHz, raw float on stdout), whether it
 * reads the finished file or a pipe. No header duration is used (Chrome's WebM has none): the
 * duration is the number of decoded frames; the peak is taken in Node, of the signal the worker
 * will use (channel-choice.ts), so cancelling channels are not "silent".
 *
 * Corruption, found by decoding the bad fixtures with `-loglevel level+warning`:
 *   - empty / not audio / wrong container: exit 1, "[error] ... Invalid data found when
 *     processing input" (or "moov atom not found", "EBML header parsing failed").
 *   - truncated WebM: exit 0, "[error] File ended prematurely".
 *   - MP3 header + garbage: exit 0, "[error] Header missing" and "[error] Error while decoding
 *     stream #0:0: Invalid data found when processing input".
 *   - truncated fragmented MP4, FLAC: exit 0 with "[error]" decode lines.
 *   - good files print at most warnings (e.g. "Guessed Channel Layout" for every WAV).
 * So: corrupt = non-zero exit OR any line at level error or worse; warnings never count.
 * (A truncated MP3 or Ogg file decodes cleanly up to the cut; it is short, not corrupt.)
 */
const ERROR_LINE = /^(?:\[[^\]]+ @ 0x[0-9a-f]+\] )?\[(?:panic|fatal|error)\] (.*)$/;
/** The component a line comes from: `[amrnb @ 0x55…] [error] …` names the decoder. */
const CONTEXT = /^\[([a-z0-9_]+) @ 0x[0-9a-f]+\]/;
const PACKET_FAILED = /Error while decoding stream/;

/**
 * Decoders whose failed packets do not make a file corrupt while they stay below a share of its
 * packets, whatever the container (raw .amr, 3GP, MP4): ffmpeg's own AMR decoders cannot decode
 * the comfort-noise frames recorders write in pauses (DTX: "Not yet implemented", "Corrupt
 * bitstream"), and those are only ever pauses. The transcode fills their time with silence.
 * Measured on sox's AMR-NB (12.2 kb/s, DTX): 32 of 399 packets in 8 s of speech.
 */
export const TOLERANT_DECODERS: Readonly<Record<string, number>> = { amrnb: 0.5, amrwb: 0.5 };

export class DecodeCheck {
  readonly stats = new ChannelStats();
  /** Feed ffmpeg's stdout here. */
  readonly onPcm = floatFrames(2, (samples, count) => this.stats.push(samples, 0, count));
  private readonly errors: string[] = [];
  private readonly tolerated = { count: 0, first: '', share: 0 };

  /** `input` is the name ffmpeg was given, kept out of the problem text. */
  constructor(private readonly input: string) {}

  get seconds(): number {
    return this.stats.frames / INSPECT_RATE;
  }

  /** Feed every stderr line here. */
  readonly onStderrLine = (line: string): void => {
    const context = CONTEXT.exec(line)?.[1];
    const share = context === undefined ? undefined : TOLERANT_DECODERS[context];
    // The decoder names itself (at any level) before the packet's failure is reported.
    if (share !== undefined) this.tolerated.share = share;
    if (!ERROR_LINE.test(line)) return;
    if (this.tolerated.share > 0) {
      // One "Error while decoding stream" line per failed packet; the decoder's own line for the
      // same packet is not counted twice.
      if (share !== undefined || !PACKET_FAILED.test(line)) {
        if (share === undefined && this.errors.length < 5) this.errors.push(this.describe(line));
        return;
      }
      this.tolerated.count++;
      this.tolerated.first ||= this.describe(line);
    } else if (this.errors.length < 5) this.errors.push(this.describe(line));
  };

  /** The verdict once ffmpeg has exited; `failed` when it exited non-zero. */
  facts(failed?: ProcessFailedError): UploadFacts {
    const seconds = this.seconds;
    // Tolerated errors (one per bad 20 ms packet) stay tolerated below their share.
    const tooMany =
      this.tolerated.count > this.tolerated.share * (seconds / 0.02)
        ? this.tolerated.first
        : undefined;
    return factsFromStats(this.stats, seconds, this.errors[0] ?? tooMany ?? this.failure(failed));
  }

  /** ffmpeg's message without the "[demuxer @ 0x…]" context, the input's name and the level. */
  private describe(line: string): string {
    const message = (ERROR_LINE.exec(line)?.[1] ?? line).split(this.input).join('input').trim();
    if (/matches no streams/.test(message)) return 'no audio stream';
    return message.slice(0, 200);
  }

  /** Without an error line: a failed exit still explains itself, and nothing decoded is corrupt. */
  private failure(failed: ProcessFailedError | undefined): string | undefined {
    if (failed) {
      const lastLine = failed.stderrTail.trim().split('\n').pop();
      return this.describe(lastLine || `exit code ${failed.exitCode}`);
    }
    return this.stats.frames === 0 ? 'no audio decoded' : undefined;
  }
}
