/**
 * Turns the byte chunks of a raw float32 pipe into aligned sample arrays of whole frames. A chunk
 * may end inside a sample or a frame: those bytes wait for the next chunk. The array handed to
 * `onSamples` is reused between calls; read it there, do not keep it.
 */
export function floatFrames(
  channels: number,
  onSamples: (samples: Float32Array, count: number) => void,
): (chunk: Buffer) => void {
  const frameBytes = 4 * channels;
  let scratch = new Float32Array(16 * 1024);
  let carry = Buffer.alloc(0);
  return (chunk) => {
    const size = carry.length + chunk.length;
    if (size > scratch.byteLength) scratch = new Float32Array(Math.ceil(size / 4));
    const bytes = new Uint8Array(scratch.buffer);
    bytes.set(carry);
    bytes.set(chunk, carry.length);
    const whole = size - (size % frameBytes);
    carry = Buffer.from(bytes.subarray(whole, size));
    onSamples(scratch, whole / 4);
  };
}
