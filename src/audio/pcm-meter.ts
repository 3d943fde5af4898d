import { floatFrames } from './float-frames';
import { BIN_SAMPLES, BinAccumulator, type Bins } from './loudness';
import { truePeak, truePeakOfReader } from './true-peak';

export interface MeasuredPcm {
  samples: Float32Array;
  bins: Bins;
  truePeak: number;
}

/** What a meter measured of a stream it did not keep as one array. */
export interface MeteredStream {
  sampleCount: number;
  bins: Bins;
  truePeak: number;
}

/**
 * Collects raw little-endian float32 PCM from an ffmpeg pipe and measures it while ffmpeg is
 * still working (Node is otherwise idle then, and there are two cores): the K-weighted bins are
 * ready the moment the process exits.
 *
 * Chunks are kept as they come and never joined: only the true peak needs samples after the
 * stream, and only around its loudest bins, which are copied out of the chunks (joining a
 * minute's 11.5 MB cost ~80 ms per stream, and a render has two: profiled).
 */
export class PcmMeter {
  private readonly chunks: Buffer[] = [];
  /** Byte offset of each chunk in the stream. */
  private readonly offsets: number[] = [];
  private bytes = 0;
  private readonly bins = new BinAccumulator();
  private readonly measure = floatFrames(1, (samples, count) => this.bins.push(samples, 0, count));

  readonly push = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.offsets.push(this.bytes);
    this.bytes += chunk.length;
    this.measure(chunk);
  };

  /** Call once, after the last chunk. The true peak needs the bins, so it is taken here. */
  finish(): MeteredStream {
    const sampleCount = this.bytes >> 2;
    const bins = this.bins.finish();
    const truePeak = truePeakOfReader(this.read, sampleCount, bins.peak, BIN_SAMPLES);
    return { sampleCount, bins, truePeak };
  }

  /** Samples [start, start + count) copied out of the chunks they arrived in. */
  private readonly read = (start: number, count: number): Float32Array => {
    const out = new Float32Array(count);
    const target = Buffer.from(out.buffer);
    let at = start * 4;
    const end = at + count * 4;
    // The last chunk that starts at or before `at`.
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.offsets[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    for (let c = lo; at < end && c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Buffer;
      const from = at - (this.offsets[c] as number);
      const copied = chunk.copy(
        target,
        at - start * 4,
        from,
        Math.min(chunk.length, from + end - at),
      );
      at += copied;
    }
    return out;
  };
}

/** Measures samples already in memory, as PcmMeter does while they arrive. */
export function measurePcm(samples: Float32Array): MeasuredPcm {
  const accumulator = new BinAccumulator();
  accumulator.push(samples);
  const bins = accumulator.finish();
  return { samples, bins, truePeak: truePeak(samples, bins.peak, BIN_SAMPLES) };
}

/** The chunks of a float pipe as one array (whole samples only). */
export function joinFloats(chunks: Buffer[], bytes: number): Float32Array {
  const all = Buffer.concat(chunks, bytes);
  const count = bytes >> 2;
  // A large Buffer.concat result owns its ArrayBuffer from offset 0; copy if it ever does not.
  return all.byteOffset % 4 === 0
    ? new Float32Array(all.buffer, all.byteOffset, count)
    : new Float32Array(all.buffer.slice(all.byteOffset, all.byteOffset + count * 4));
}

/** The bytes of a sample array, for writing it to a file without a copy. */
export const pcmBytes = (samples: Float32Array): Buffer =>
  Buffer.from(samples.buffer, samples.byteOffset, samples.length * 4);
