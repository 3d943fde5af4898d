import { PassThrough } from 'node:stream';
import { DecodeCheck } from './decode-check';
import { inspectStreamArgs } from './ffmpeg-args';
import { ProcessFailedError, ProcessTimeoutError, runProcess } from './run-process';
import { CONTAINERS, type AudioContainer } from './sniff';
import { INSPECT_CAP_EXTRA_SECONDS, type UploadFacts } from './upload-facts';

export interface StreamDecoderOptions {
  ffmpegPath: string;
  maxDurationSeconds: number;
  /** How long ffmpeg may take once the last byte has been handed over. */
  timeoutMs: number;
  /** The most an upload may take (the server's request timeout): ffmpeg's wall limit before that. */
  uploadWallMs: number;
  /** Called after each piece of decoded audio; `seconds` decoded so far. */
  onProgress: (seconds: number) => void;
  /** Called once when the process has exited, however it ended. */
  onExit: () => void;
}

/**
 * Little is held between the upload and ffmpeg (twice this in the PassThrough, then the stdin
 * socket pair's kernel buffer, about 208 kB on Linux): a slow decoder slows the upload instead
 * of filling memory, and a too-long message is noticed soon after its limit has gone through.
 */
const PIPE_BUFFER_BYTES = 16 * 1024;

/**
 * One ffmpeg decoding an upload from its stdin while the upload arrives (inspectStreamArgs).
 * `write` resolves when ffmpeg can take more, so backpressure reaches the client's socket.
 */
export class StreamDecoder {
  private readonly input = new PassThrough({ highWaterMark: PIPE_BUFFER_BYTES });
  private readonly check: DecodeCheck;
  private readonly controller = new AbortController();
  private readonly exited: Promise<ProcessFailedError | undefined>;
  private running = true;
  private timedOut = false;

  constructor(
    container: AudioContainer,
    private readonly options: StreamDecoderOptions,
  ) {
    this.check = new DecodeCheck('pipe:0');
    const args = inspectStreamArgs({
      ffmpegFormat: CONTAINERS[container].ffmpegFormat,
      capSeconds: options.maxDurationSeconds + INSPECT_CAP_EXTRA_SECONDS,
    });
    this.exited = runProcess(options.ffmpegPath, args, {
      timeoutMs: options.uploadWallMs + options.timeoutMs,
      stdin: this.input,
      stdout: (chunk) => {
        this.check.onPcm(chunk);
        options.onProgress(this.check.seconds);
      },
      onStderrLine: this.check.onStderrLine,
      signal: this.controller.signal,
    })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof ProcessFailedError) return error;
          throw error;
        },
      )
      .finally(() => {
        this.running = false;
        options.onExit();
      });
    // Seen by `end` or nobody (after `stop`): never an unhandled rejection.
    this.exited.catch(() => undefined);
  }

  async write(chunk: Buffer): Promise<void> {
    // After ffmpeg has stopped (at the cap, or on bad data) the rest is not its business.
    if (!this.running || this.input.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.input.off('drain', done);
        resolve();
      };
      this.input.once('drain', done);
      this.exited.then(done, done);
    });
  }

  /** The last byte has arrived: the verdict once ffmpeg has decoded what it was given. */
  async end(): Promise<UploadFacts> {
    this.input.end();
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.options.timeoutMs);
    try {
      return this.check.facts(await this.exited);
    } catch (error) {
      if (this.timedOut)
        throw new ProcessTimeoutError(this.options.ffmpegPath, this.options.timeoutMs, '');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills ffmpeg; its result is not wanted. */
  stop(): void {
    this.input.destroy();
    this.controller.abort();
  }
}
