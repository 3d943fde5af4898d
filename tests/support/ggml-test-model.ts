import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes a whisper.cpp model file (the legacy `ggml` layout whisper.cpp's loader reads: magic,
 * hyper-parameters, mel filters, vocabulary, named tensors) with random weights. The real engine
 * loads and runs it; what it says is meaningless. Small shapes make a test model of a few MB;
 * a real model's shapes (see `realShapes`) cost the engine what the real model costs, for bench/.
 */
export interface ModelShape {
  /** 51865 (or 51866 for large-v3) makes the engine treat the model as multilingual. */
  vocab: number;
  audioCtx: number;
  state: number;
  heads: number;
  encoderLayers: number;
  textCtx: number;
  decoderLayers: number;
  mels: number;
  /** How the weight matrices are stored; the engine computes in the same type. */
  weights: 'f32' | 'f16' | 'q5_0' | 'q5_1' | 'q8_0';
}

/** A multilingual model small enough for a test: loads in milliseconds, about 10 MB. */
export const testShape: ModelShape = {
  vocab: 51865,
  audioCtx: 1500,
  state: 32,
  heads: 2,
  encoderLayers: 1,
  textCtx: 64,
  decoderLayers: 1,
  mels: 80,
  weights: 'f16',
};

/** The published models' dimensions (whisper.cpp's `models/convert-pt-to-ggml.py` hparams). */
export const realShapes = {
  'base-q5_1': {
    ...testShape,
    state: 512,
    heads: 8,
    encoderLayers: 6,
    decoderLayers: 6,
    textCtx: 448,
    weights: 'q5_1',
  },
  'small-q5_1': {
    ...testShape,
    state: 768,
    heads: 12,
    encoderLayers: 12,
    decoderLayers: 12,
    textCtx: 448,
    weights: 'q5_1',
  },
  'large-v3-turbo-q5_0': {
    vocab: 51866,
    audioCtx: 1500,
    state: 1280,
    heads: 20,
    encoderLayers: 32,
    textCtx: 448,
    decoderLayers: 4,
    mels: 128,
    weights: 'q5_0',
  },
} satisfies Record<string, ModelShape>;

// ggml's file types (ftype) and tensor types.
const FTYPE = { f32: 0, f16: 1, q8_0: 7, q5_0: 8, q5_1: 9 } as const;
const TYPE = { f32: 0, f16: 1, q5_0: 6, q5_1: 7, q8_0: 8 } as const;
/** Bytes per block of 32 values for the block-quantised types. */
const BLOCK_BYTES = { q5_0: 22, q5_1: 24, q8_0: 34 } as const;
const GGML_MAGIC = 0x67676d6c;
const N_FFT = 201;
/** GPT-2's byte-level vocabulary; the engine adds the special and timestamp tokens above it. */
const TEXT_TOKENS = 50257;
const BLANK_TOKEN = 220;

type TensorType = keyof typeof TYPE;

/** A seeded generator, so a test's model is the same file every time. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeInt32LE(v, i * 4));
  return b;
}

/** A half-precision number from a small float (no NaN, no infinity). */
const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
function toF16(x: number): number {
  f32[0] = x;
  const bits = f32Bits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mant = (bits >>> 13) & 0x3ff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7bff;
  return sign | (exp << 10) | mant;
}

/** The bytes of `count` values of `type`: `fill` gives each value (scale for quantised blocks). */
function tensorBytes(
  type: TensorType,
  count: number,
  fill: () => number,
  rnd: () => number,
  /** A quantised block's scale and minimum by its number (default: small, see below). */
  blockScale?: (block: number) => [number, number],
): Buffer {
  if (type === 'f32') {
    const b = Buffer.alloc(count * 4);
    for (let i = 0; i < count; i++) b.writeFloatLE(fill(), i * 4);
    return b;
  }
  if (type === 'f16') {
    const b = Buffer.alloc(count * 2);
    for (let i = 0; i < count; i++) b.writeUInt16LE(toF16(fill()), i * 2);
    return b;
  }
  const blocks = count / 32;
  const size = BLOCK_BYTES[type];
  const b = Buffer.alloc(blocks * size);
  for (let k = 0; k < blocks; k++) {
    const o = k * size;
    // The block's scale: small, so activations stay finite.
    const [d, min] = blockScale?.(k) ?? [0.002, -0.03];
    b.writeUInt16LE(toF16(d), o);
    if (type === 'q5_1') b.writeUInt16LE(toF16(min), o + 2);
    for (let j = type === 'q5_1' ? 4 : 2; j < size; j++) b[o + j] = Math.floor(rnd() * 256);
  }
  return b;
}

interface TensorSpec {
  name: string;
  /** ggml order: ne[0] is the row length. */
  dims: number[];
  type: TensorType;
  fill: 'one' | 'zero' | 'weight';
}

function tensors(shape: ModelShape): TensorSpec[] {
  const { state: s, audioCtx, textCtx, mels, vocab } = shape;
  const w: TensorType = shape.weights;
  const conv: TensorType = shape.weights === 'f32' ? 'f32' : 'f16';
  const f = (name: string, dims: number[], fill: TensorSpec['fill'] = 'weight'): TensorSpec => ({
    name,
    dims,
    type: 'f32',
    fill,
  });
  const m = (name: string, dims: number[]): TensorSpec => ({ name, dims, type: w, fill: 'weight' });
  const norm = (prefix: string) => [
    f(`${prefix}.weight`, [s], 'one'),
    f(`${prefix}.bias`, [s], 'zero'),
  ];
  const attention = (prefix: string) => [
    m(`${prefix}.query.weight`, [s, s]),
    f(`${prefix}.query.bias`, [s], 'zero'),
    m(`${prefix}.key.weight`, [s, s]),
    m(`${prefix}.value.weight`, [s, s]),
    f(`${prefix}.value.bias`, [s], 'zero'),
    m(`${prefix}.out.weight`, [s, s]),
    f(`${prefix}.out.bias`, [s], 'zero'),
  ];
  const mlp = (prefix: string) => [
    ...norm(`${prefix}.mlp_ln`),
    m(`${prefix}.mlp.0.weight`, [s, 4 * s]),
    f(`${prefix}.mlp.0.bias`, [4 * s], 'zero'),
    m(`${prefix}.mlp.2.weight`, [4 * s, s]),
    f(`${prefix}.mlp.2.bias`, [s], 'zero'),
  ];
  const list: TensorSpec[] = [
    f('encoder.positional_embedding', [s, audioCtx]),
    { name: 'encoder.conv1.weight', dims: [3, mels, s], type: conv, fill: 'weight' },
    f('encoder.conv1.bias', [1, s], 'zero'),
    { name: 'encoder.conv2.weight', dims: [3, s, s], type: conv, fill: 'weight' },
    f('encoder.conv2.bias', [1, s], 'zero'),
    ...norm('encoder.ln_post'),
  ];
  for (let i = 0; i < shape.encoderLayers; i++) {
    const p = `encoder.blocks.${i}`;
    list.push(...mlp(p), ...norm(`${p}.attn_ln`), ...attention(`${p}.attn`));
  }
  list.push(
    f('decoder.positional_embedding', [s, textCtx]),
    m('decoder.token_embedding.weight', [s, vocab]),
  );
  list.push(...norm('decoder.ln'));
  for (let i = 0; i < shape.decoderLayers; i++) {
    const p = `decoder.blocks.${i}`;
    list.push(...mlp(p), ...norm(`${p}.attn_ln`), ...attention(`${p}.attn`));
    list.push(...norm(`${p}.cross_attn_ln`), ...attention(`${p}.cross_attn`));
  }
  return list;
}

function tensorByteCount(t: TensorSpec): number {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.type === 'f32') return count * 4;
  if (t.type === 'f16') return count * 2;
  return (count / 32) * BLOCK_BYTES[t.type];
}

/** The size `writeGgmlModel` gives a shape, without writing it. */
export function ggmlModelBytes(shape: ModelShape): number {
  const header = 4 + 11 * 4 + 8 + shape.mels * N_FFT * 4 + 4;
  let vocab = 0;
  for (let i = 0; i < TEXT_TOKENS; i++) vocab += 4 + (i === BLANK_TOKEN ? 1 : ` w${i}`.length);
  const weights = tensors(shape).reduce(
    (sum, t) => sum + 12 + 4 * t.dims.length + t.name.length + tensorByteCount(t),
    0,
  );
  return header + vocab + weights;
}

/** Writes the model to `file`, streamed, so a real-sized one never sits in memory whole. */
export async function writeGgmlModel(
  file: string,
  shape: ModelShape = testShape,
  seed = 1,
  /**
   * Never ends a text: the special tokens' embedding rows (end of text, timestamps) are zero and
   * the words' rows large, so greedy decoding always picks a word and runs to its `max_tokens`.
   * For benchmarks that must decode a fixed number of tokens (q5_0/q5_1 weights only).
   */
  endless = false,
): Promise<void> {
  const rnd = random(seed);
  const out = createWriteStream(file);
  const write = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  try {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(GGML_MAGIC);
    await write(header);
    const { vocab, audioCtx, state, heads, encoderLayers, textCtx, decoderLayers, mels } = shape;
    await write(
      int32s(
        vocab,
        audioCtx,
        state,
        heads,
        encoderLayers,
        textCtx,
        state,
        heads,
        decoderLayers,
        mels,
      ),
    );
    await write(int32s(FTYPE[shape.weights]));

    // Mel filters: each band a flat window over its share of the spectrum.
    await write(int32s(mels, N_FFT));
    const filters = Buffer.alloc(mels * N_FFT * 4);
    for (let m = 0; m < mels; m++) {
      for (let k = 0; k < N_FFT; k++) {
        const inBand = Math.floor((k * mels) / N_FFT) === m;
        filters.writeFloatLE(inBand ? 0.5 : 0, (m * N_FFT + k) * 4);
      }
    }
    await write(filters);

    // Vocabulary: readable made-up words, so a transcript of this model is visibly nonsense. The
    // engine looks up the blank token (" ", GPT-2's 220) by its text and fails without it.
    const words = Array.from({ length: TEXT_TOKENS }, (_, i) => {
      const word = Buffer.from(i === BLANK_TOKEN ? ' ' : ` w${i}`);
      return Buffer.concat([int32s(word.length), word]);
    });
    await write(Buffer.concat([int32s(TEXT_TOKENS), ...words]));

    for (const t of tensors(shape)) {
      const name = Buffer.from(t.name);
      await write(
        Buffer.concat([int32s(t.dims.length, name.length, TYPE[t.type]), int32s(...t.dims), name]),
      );
      const count = t.dims.reduce((a, b) => a * b, 1);
      const fill =
        t.fill === 'one' ? () => 1 : t.fill === 'zero' ? () => 0 : () => (rnd() - 0.5) * 0.1;
      // Large tensors go out in rows of at most 1 MB of values.
      const rows = t.dims.length > 1 ? t.dims.slice(1).reduce((a, b) => a * b, 1) : 1;
      const rowLength = count / rows;
      const perChunk = Math.max(1, Math.floor(262_144 / rowLength));
      for (let r = 0; r < rows; r += perChunk) {
        const n = Math.min(perChunk, rows - r) * rowLength;
        const firstRow = r;
        const scale =
          endless && t.name === 'decoder.token_embedding.weight'
            ? (block: number): [number, number] =>
                firstRow + Math.floor((block * 32) / rowLength) < TEXT_TOKENS
                  ? [0.06, -0.93]
                  : [0, 0]
            : undefined;
        await write(tensorBytes(t.type, n, fill, rnd, scale));
      }
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}
