import { BinAccumulator, type Bins } from './loudness';
import { TruePeakScanner } from './true-peak';

/**
 * Collects raw little-endian float32 PCM from an ffmpeg pipe and measures it while ffmpeg is
 * still working (Node is otherwise idle then, and there are two cores): K-weighted bins and
 * true peak are ready the moment the process exits.
 */
export class PcmMeter {
  private buffer: Float32Array;
  private bytes = 0;
  private readonly bins = new BinAccumulator();
  private readonly peak = new TruePeakScanner();

  constructor(initialSeconds = 10, sampleRate = 48000) {
    this.buffer = new Float32Array(initialSeconds * sampleRate);
  }

  /** Chunks may split a sample: bytes are appended and whole samples measured. */
  readonly push = (chunk: Buffer): void => {
    const before = this.bytes >> 2;
    this.reserve(this.bytes + chunk.length);
    new Uint8Array(this.buffer.buffer).set(chunk, this.bytes);
    this.bytes += chunk.length;
    const after = this.bytes >> 2;
    this.bins.push(this.buffer, before, after);
    this.peak.scan(this.buffer, after);
  };

  private reserve(bytes: number): void {
    if (bytes <= this.buffer.byteLength) return;
    let size = this.buffer.length * 2;
    while (size * 4 < bytes) size *= 2;
    const grown = new Float32Array(size);
    grown.set(this.buffer.subarray(0, Math.ceil(this.bytes / 4)));
    this.buffer = grown;
  }

  /** Call once, after the last chunk. */
  finish(): { samples: Float32Array; bins: Bins; truePeak: number } {
    const samples = this.buffer.subarray(0, this.bytes >> 2);
    this.peak.scan(this.buffer, samples.length, true);
    return { samples, bins: this.bins.finish(), truePeak: this.peak.value };
  }
}

/** The bytes of a sample array, for writing it to a file without a copy. */
export const pcmBytes = (samples: Float32Array): Buffer =>
  Buffer.from(samples.buffer, samples.byteOffset, samples.length * 4);
