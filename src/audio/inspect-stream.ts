import { planInspection, type InspectionPlan } from './inspection-plan';
import type { ProcessSlots } from './process-slots';
import type { AudioContainer } from './sniff';
import { StreamDecoder } from './stream-decoder';
import { factsFromStats, isTooLong, type UploadFacts } from './upload-facts';
import { WavPcmMeter } from './wav-pcm-meter';

export interface StreamInspectionOptions {
  ffmpegPath: string;
  maxDurationSeconds: number;
  timeoutMs: number;
  uploadWallMs: number;
  /**
   * Where given, a decoder starts only if one of these is free at once; otherwise the file is
   * checked after it has arrived (`deferred`). Without, the caller already holds a slot.
   */
  slots?: ProcessSlots;
}

/** A refusal that is certain before the upload has ended: the rest need not be read. */
export class EarlyRefusal extends Error {
  constructor(readonly reason: 'unsupported' | 'too-long' | 'corrupt') {
    super(`upload refused while arriving: ${reason}`);
    this.name = 'EarlyRefusal';
  }
}

export type StreamVerdict =
  | { kind: 'facts'; facts: UploadFacts }
  /** Not checked yet: inspect the finished file (a container that needs seeking, or no slot). */
  | { kind: 'deferred'; container: AudioContainer | undefined };

type Stage =
  | { kind: 'planning'; chunks: Buffer[]; bytes: number }
  | { kind: 'metering'; meter: WavPcmMeter }
  | { kind: 'decoding'; decoder: StreamDecoder }
  | { kind: 'deferred'; container: AudioContainer | undefined }
  | { kind: 'refused'; refusal: EarlyRefusal };

/**
 * Checks an upload while its bytes arrive, with the same verdicts as checking the finished file:
 * bytes go in with `write` (in order; it resolves when more may come), `end` gives the verdict.
 * A PCM WAV is measured in Node; other containers stream into ffmpeg (inspection-plan.ts).
 * `write` rejects with EarlyRefusal as soon as the answer is certain.
 */
export class StreamingInspection {
  private stage: Stage = { kind: 'planning', chunks: [], bytes: 0 };
  /** Set from ffmpeg's output, seen by the next write or by end. */
  private pendingRefusal: EarlyRefusal | undefined;

  constructor(private readonly options: StreamInspectionOptions) {}

  async write(chunk: Buffer): Promise<void> {
    const stage = this.stage;
    if (stage.kind === 'planning') {
      stage.chunks.push(chunk);
      stage.bytes += chunk.length;
      const head = stage.chunks.length === 1 ? chunk : Buffer.concat(stage.chunks);
      stage.chunks = [head];
      const plan = planInspection(head);
      if (plan.kind !== 'need-more') await this.start(plan, head);
    } else if (stage.kind === 'metering') this.meter(stage.meter, chunk);
    else if (stage.kind === 'decoding') await stage.decoder.write(chunk);
    this.throwIfRefused();
  }

  async end(): Promise<StreamVerdict> {
    if (this.stage.kind === 'planning') {
      const head = Buffer.concat(this.stage.chunks);
      // Nothing arrived: FILE_EMPTY is the intake's answer, not a container's.
      if (head.length === 0) return this.defer(undefined);
      await this.start(planInspection(head, true), head);
    }
    this.throwIfRefused();
    const stage = this.stage;
    if (stage.kind === 'metering') {
      const { meter } = stage;
      const problem = meter.truncated
        ? 'WAV data ends before the size its header gives'
        : meter.frames === 0
          ? 'no audio decoded'
          : undefined;
      return { kind: 'facts', facts: factsFromStats(meter.stats, meter.seconds, problem) };
    }
    if (stage.kind === 'decoding') {
      try {
        const facts = await stage.decoder.end();
        this.throwIfRefused();
        return { kind: 'facts', facts };
      } catch (error) {
        // A decoder stopped for being too long has exited "aborted": the refusal is the answer.
        this.throwIfRefused();
        throw error;
      }
    }
    if (stage.kind === 'deferred') return stage;
    throw new Error(`inspection ended in stage ${stage.kind}`);
  }

  /** The upload failed or was refused elsewhere: stop any decoder. */
  abort(): void {
    if (this.stage.kind === 'decoding') this.stage.decoder.stop();
  }

  private async start(plan: InspectionPlan, head: Buffer): Promise<void> {
    switch (plan.kind) {
      case 'need-more':
        return;
      case 'unsupported':
        return this.refuse(new EarlyRefusal('unsupported'));
      case 'corrupt':
        return this.refuse(new EarlyRefusal('corrupt'));
      case 'after-upload':
        this.defer(plan.container);
        return;
      case 'wav-pcm': {
        const meter = new WavPcmMeter(plan.layout);
        this.stage = { kind: 'metering', meter };
        return this.meter(meter, head.subarray(plan.layout.dataOffset));
      }
      case 'decode-stream': {
        const { slots } = this.options;
        const release: (() => void) | undefined = slots ? slots.tryAcquire() : () => {};
        if (!release) {
          this.defer(plan.container);
          return;
        }
        const decoder = new StreamDecoder(plan.container, {
          ...this.options,
          onProgress: (seconds) => {
            if (!isTooLong(seconds, this.options.maxDurationSeconds)) return;
            this.pendingRefusal ??= new EarlyRefusal('too-long');
            decoder.stop();
          },
          onExit: release,
        });
        this.stage = { kind: 'decoding', decoder };
        return decoder.write(head);
      }
    }
  }

  private meter(meter: WavPcmMeter, chunk: Buffer): void {
    meter.write(chunk);
    if (isTooLong(meter.seconds, this.options.maxDurationSeconds))
      this.refuse(new EarlyRefusal('too-long'));
  }

  private defer(container: AudioContainer | undefined): StreamVerdict {
    this.stage = { kind: 'deferred', container };
    return this.stage;
  }

  private refuse(refusal: EarlyRefusal): void {
    this.abort();
    this.stage = { kind: 'refused', refusal };
  }

  private throwIfRefused(): void {
    if (this.pendingRefusal && this.stage.kind !== 'refused') this.refuse(this.pendingRefusal);
    if (this.stage.kind === 'refused') throw this.stage.refusal;
  }
}
