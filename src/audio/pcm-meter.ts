import { BIN_SAMPLES, BinAccumulator, type Bins } from './loudness';
import { truePeak } from './true-peak';

/**
 * Collects raw little-endian float32 PCM from an ffmpeg pipe and measures it while ffmpeg is
 * still working (Node is otherwise idle then, and there are two cores): the K-weighted bins are
 * ready the moment the process exits.
 *
 * Chunks are kept as they come and joined once at the end: growing one array as data arrives
 * cost ~20 ms a minute of audio in zero-filled reallocations and copies (profiled).
 */
export class PcmMeter {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private readonly bins = new BinAccumulator();
  /** Aligned copy of the current chunk (plus a sample split off the previous one). */
  private scratch = new Float32Array(16 * 1024);
  private carry = Buffer.alloc(0);

  /** Chunks may split a sample: the split bytes wait for the next chunk. */
  readonly push = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    const size = this.carry.length + chunk.length;
    if (size > this.scratch.byteLength) this.scratch = new Float32Array(Math.ceil(size / 4));
    const bytes = new Uint8Array(this.scratch.buffer);
    bytes.set(this.carry);
    bytes.set(chunk, this.carry.length);
    const whole = size >> 2;
    this.carry = Buffer.from(bytes.subarray(whole * 4, size));
    this.bins.push(this.scratch, 0, whole);
  };

  /** Call once, after the last chunk. The true peak needs the bins, so it is taken here. */
  finish(): { samples: Float32Array; bins: Bins; truePeak: number } {
    const all = Buffer.concat(this.chunks, this.bytes);
    const count = this.bytes >> 2;
    // A large Buffer.concat result owns its ArrayBuffer from offset 0; copy if it ever does not.
    const samples =
      all.byteOffset % 4 === 0
        ? new Float32Array(all.buffer, all.byteOffset, count)
        : new Float32Array(all.buffer.slice(all.byteOffset, all.byteOffset + count * 4));
    const bins = this.bins.finish();
    return { samples, bins, truePeak: truePeak(samples, bins.peak, BIN_SAMPLES) };
  }
}

/** The bytes of a sample array, for writing it to a file without a copy. */
export const pcmBytes = (samples: Float32Array): Buffer =>
  Buffer.from(samples.buffer, samples.byteOffset, samples.length * 4);
