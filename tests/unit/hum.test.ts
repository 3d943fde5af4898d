import { findHum, MIN_HARMONICS } from '../../src/audio/hum';

const RATE = 48000;
/** Deterministic noise (a linear congruential generator), so the test cannot flake. */
function noise(n: number, amplitude: number, seed = 1): Float32Array {
  let x = seed;
  return Float32Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return (x / 2 ** 30 - 1) * amplitude;
  });
}
const tones = (n: number, parts: [hz: number, amplitude: number][]) =>
  Float32Array.from({ length: n }, (_, i) =>
    parts.reduce((sum, [hz, a]) => sum + a * Math.sin((2 * Math.PI * hz * i) / RATE), 0),
  );
const add = (a: Float32Array, b: Float32Array) => a.map((v, i) => v + (b[i] as number));
const whole = (n: number) => [{ startSample: 0, endSample: n }];

describe('findHum', () => {
  const n = RATE; // one second of pause

  it('finds a 60 Hz series with its harmonics', () => {
    const x = add(
      noise(n, 0.001),
      tones(n, [
        [60, 0.01],
        [120, 0.005],
        [180, 0.004],
        [240, 0.002],
      ]),
    );
    const hum = findHum(x, whole(n), RATE);
    expect(hum?.baseHz).toBe(60);
    expect(hum?.harmonics.map((h) => h.hz)).toEqual([60, 120, 180, 240]);
    // 0.01² / 2 + 0.005² / 2 + ...: the mean square of the sines, within 5 %.
    expect(hum?.meanSquare).toBeCloseTo((0.01 ** 2 + 0.005 ** 2 + 0.004 ** 2 + 0.002 ** 2) / 2, 6);
  });

  it('does not call a single tone (a fan, a note) hum', () => {
    expect(MIN_HARMONICS).toBeGreaterThan(1);
    expect(findHum(add(noise(n, 0.001), tones(n, [[180, 0.01]])), whole(n), RATE)).toBeUndefined();
  });

  it('finds nothing in plain noise, nor in pauses too short to tell 50 Hz apart', () => {
    expect(findHum(noise(n, 0.01), whole(n), RATE)).toBeUndefined();
    const hum = tones(n, [
      [50, 0.01],
      [100, 0.01],
      [150, 0.01],
    ]);
    expect(findHum(hum, [{ startSample: 0, endSample: 4800 }], RATE)).toBeUndefined();
    expect(findHum(hum, whole(n), RATE)?.baseHz).toBe(50);
  });
});
