import { ChannelStats, type PcmSamples } from './channel-choice';
import type { PcmLayout, PcmSampleFormat } from './wav-header';

/** Bytes per sample of each format. */
const SAMPLE_BYTES: Record<PcmSampleFormat, number> = {
  u8: 1,
  s16: 2,
  s24: 3,
  s32: 4,
  f32: 4,
  f64: 8,
};

/**
 * A view of `count` samples at the start of an 8-byte-aligned buffer, and the factor that makes
 * them full scale = 1. The common formats are read in place (typed arrays over the bytes);
 * 8- and 24-bit ones are converted into `spare`.
 */
function samplesOf(
  format: PcmSampleFormat,
  buffer: ArrayBuffer,
  count: number,
  spare: () => Float32Array,
): { samples: PcmSamples; scale: number } {
  switch (format) {
    case 's16':
      return { samples: new Int16Array(buffer, 0, count), scale: 1 / 32768 };
    case 's32':
      return { samples: new Int32Array(buffer, 0, count), scale: 1 / 2147483648 };
    case 'f32':
      return { samples: new Float32Array(buffer, 0, count), scale: 1 };
    case 'f64':
      return { samples: new Float64Array(buffer, 0, count), scale: 1 };
    case 'u8': {
      const bytes = new Uint8Array(buffer, 0, count);
      const out = spare();
      for (let i = 0; i < count; i++) out[i] = ((bytes[i] as number) - 128) / 128;
      return { samples: out.subarray(0, count), scale: 1 };
    }
    case 's24': {
      const bytes = new Uint8Array(buffer, 0, count * 3);
      const out = spare();
      for (let i = 0, at = 0; i < count; i++, at += 3) {
        const v =
          (bytes[at] as number) |
          ((bytes[at + 1] as number) << 8) |
          ((bytes[at + 2] as number) << 16);
        out[i] = (v << 8) >> 8; // sign-extend from 24 bits
      }
      return { samples: out.subarray(0, count), scale: 1 / 8388608 };
    }
  }
}

/**
 * Measures the samples of a PCM WAV as they stream by: frames (the real length, not the header's
 * claim), and the channel statistics the upload check needs. Bytes past the declared data size
 * (trailing chunks) are not audio and are skipped.
 */
export class WavPcmMeter {
  readonly stats = new ChannelStats();
  /** Data bytes seen so far (not counting anything past the declared size). */
  private dataSeen = 0;
  /** Bytes of an unfinished frame, waiting at the start of `aligned`. */
  private carried = 0;
  private aligned = new ArrayBuffer(64 * 1024);
  private spare = new Float32Array(0);
  private readonly sampleBytes: number;

  constructor(private readonly layout: PcmLayout) {
    this.sampleBytes = SAMPLE_BYTES[layout.format];
  }

  get frames(): number {
    return this.stats.frames;
  }

  get seconds(): number {
    return this.stats.frames / this.layout.sampleRate;
  }

  /** True when fewer data bytes arrived than the header declared. */
  get truncated(): boolean {
    return this.layout.dataBytes !== undefined && this.dataSeen < this.layout.dataBytes;
  }

  /** Bytes of the data chunk, in order, starting at its first sample. */
  write(chunk: Buffer): void {
    const { dataBytes, blockAlign, channels, format } = this.layout;
    const room = dataBytes === undefined ? chunk.length : dataBytes - this.dataSeen;
    const data = room < chunk.length ? chunk.subarray(0, Math.max(0, room)) : chunk;
    this.dataSeen += data.length;
    const size = this.carried + data.length;
    if (size > this.aligned.byteLength) {
      const grown = new ArrayBuffer(size);
      new Uint8Array(grown).set(new Uint8Array(this.aligned, 0, this.carried));
      this.aligned = grown;
    }
    // One copy into an aligned buffer: typed arrays then read the samples in place.
    new Uint8Array(this.aligned).set(data, this.carried);
    const whole = size - (size % blockAlign);
    const count = whole / this.sampleBytes;
    if (count > 0) {
      const { samples, scale } = samplesOf(format, this.aligned, count, () => {
        if (this.spare.length < count) this.spare = new Float32Array(count);
        return this.spare;
      });
      if (channels === 1) this.stats.pushMono(samples, 0, count, scale);
      else this.stats.push(samples, 0, count, scale);
    }
    this.carried = size - whole;
    if (this.carried) new Uint8Array(this.aligned).copyWithin(0, whole, size);
  }
}
