import { ChannelStats } from './channel-choice';
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

/** Decodes `count` samples of one format from `view` at `offset` into `out` as float. */
function decode(
  format: PcmSampleFormat,
  view: DataView,
  offset: number,
  count: number,
  out: Float32Array,
): void {
  // One loop per format: a switch inside the loop would run for every sample of every upload.
  switch (format) {
    case 'u8':
      for (let i = 0; i < count; i++) out[i] = (view.getUint8(offset + i) - 128) / 128;
      return;
    case 's16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, true) / 32768;
      return;
    case 's24':
      for (let i = 0, at = offset; i < count; i++, at += 3) {
        const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
        out[i] = v / 8388608;
      }
      return;
    case 's32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, true) / 2147483648;
      return;
    case 'f32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, true);
      return;
    case 'f64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, true);
      return;
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
  private carry = Buffer.alloc(0);
  private scratch = new Float32Array(16 * 1024);
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
    const bytes = this.carry.length ? Buffer.concat([this.carry, data]) : data;
    const whole = bytes.length - (bytes.length % blockAlign);
    this.carry = Buffer.from(bytes.subarray(whole));
    const samples = whole / this.sampleBytes;
    if (samples === 0) return;
    if (samples > this.scratch.length) this.scratch = new Float32Array(samples);
    decode(format, new DataView(bytes.buffer, bytes.byteOffset, whole), 0, samples, this.scratch);
    if (channels === 1) this.stats.pushMono(this.scratch, 0, samples);
    else this.stats.push(this.scratch, 0, samples);
  }
}
