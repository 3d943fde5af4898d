import { countAmrFrames, amrTrackSeconds } from '../../src/audio/amr-timeline';
import { analyseArgs } from '../../src/audio/ffmpeg-args';
import { measurePcm } from '../../src/audio/pcm-meter';
import { applyLeveling, levelingGains } from '../../src/audio/speech-leveler';
import { speechRange } from '../../src/audio/trim';
import { detectVoice, FRAME_MS } from '../../src/audio/voice-activity';

const RATE = 48000;

/** A voice-like signal: a 150 Hz pulse train with harmonics at `db` dBFS, or noise at `db`. */
function segment(seconds: number, kind: 'voice' | 'noise' | 'silence', db = -20, seed = 1) {
  const out = new Float32Array(Math.round(seconds * RATE));
  const amp = 10 ** (db / 20);
  let state = seed;
  for (let i = 0; i < out.length; i++) {
    if (kind === 'voice') {
      const t = i / RATE;
      out[i] =
        amp *
        (Math.sin(2 * Math.PI * 150 * t) +
          0.5 * Math.sin(2 * Math.PI * 300 * t) +
          0.3 * Math.sin(2 * Math.PI * 450 * t));
    } else if (kind === 'noise') {
      state = (state * 1103515245 + 12345) % 2147483648;
      out[i] = amp * (state / 1073741824 - 1);
    }
  }
  return out;
}
const join = (...parts: Float32Array[]) => {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
};
const floor = (n: number) => segment(n, 'noise', -75, 7);
const mixFloor = (x: Float32Array) => {
  const f = floor(x.length / RATE);
  return x.map((v, i) => v + (f[i] ?? 0));
};
const activityOf = (x: Float32Array) => detectVoice(x, measurePcm(x).bins.energy);
const seconds = (frames: number) => (frames * FRAME_MS) / 1000;

describe('voice activity', () => {
  it('finds a periodic voice at any level and not noise or breath of the same loudness', () => {
    const x = mixFloor(
      join(
        segment(1, 'silence'),
        segment(1, 'voice', -20),
        segment(1, 'noise', -30, 3),
        segment(1, 'voice', -50),
        segment(1, 'silence'),
      ),
    );
    const a = activityOf(x);
    const voicedAt = (t: number) => a.voiced[Math.round((t * 1000) / FRAME_MS)];
    expect([voicedAt(0.5), voicedAt(1.5), voicedAt(2.5), voicedAt(3.5), voicedAt(4.5)]).toEqual([
      0, 1, 0, 1, 0,
    ]);
    expect(a.noiseFloorDb).toBeLessThan(-60);
  });

  it('finds no voice in noise alone', () => {
    expect(activityOf(mixFloor(segment(3, 'noise', -60, 5))).voicedFrames).toBe(0);
  });
});

describe('speechRange', () => {
  it('keeps a sentence 30 dB softer than the one before it, and trims only pauses', () => {
    const x = mixFloor(
      join(
        segment(1, 'silence'),
        segment(2, 'voice', -20),
        segment(0.8, 'silence'),
        segment(2, 'voice', -50),
        segment(1.5, 'silence'),
      ),
    );
    const { startSample, endSample } = speechRange(activityOf(x), x.length);
    expect(startSample / RATE).toBeGreaterThan(0.5);
    expect(startSample / RATE).toBeLessThan(1);
    // The soft sentence ends at 5.8 s: kept, with the hangover and pad after it.
    expect(endSample / RATE).toBeGreaterThan(5.8);
    expect(endSample / RATE).toBeLessThan(6.6);
  });

  it('keeps everything when there is no voice to anchor on', () => {
    const x = mixFloor(segment(2, 'noise', -60, 9));
    expect(speechRange(activityOf(x), x.length)).toEqual({ startSample: 0, endSample: x.length });
  });
});

describe('levelingGains', () => {
  const levelsOf = (x: Float32Array, gainsDb: Float32Array, spans: Array<[number, number]>) => {
    const energy = measurePcm(applyLeveling(x, gainsDb)).bins.energy;
    return spans.map(([from, to]) => {
      const part = energy.subarray(from * 1000, to * 1000);
      return 10 * Math.log10(part.reduce((s, e) => s + e, 0) / part.length);
    });
  };

  it('raises a soft passage to a loud one of comparable length', () => {
    const x = mixFloor(
      join(segment(3, 'voice', -10), segment(0.8, 'silence'), segment(4, 'voice', -40)),
    );
    const { gainsDb, maxCutDb, maxBoostDb } = levelingGains(activityOf(x));
    const at = (t: number) => gainsDb[Math.round((t * 1000) / FRAME_MS)] as number;
    expect(Math.abs(at(1.5))).toBeLessThan(1);
    expect(at(6)).toBeGreaterThan(25);
    expect(maxBoostDb).toBeLessThanOrEqual(30);
    expect(maxCutDb).toBeLessThan(1);
    const [loud, soft] = levelsOf(x, gainsDb, [
      [0.5, 2.5],
      [4.5, 7.5],
    ]);
    expect(Math.abs(loud! - soft!)).toBeLessThan(3);
  });

  it('brings a short outburst down to the speech around it', () => {
    const x = mixFloor(
      join(segment(1, 'voice', -10), segment(0.8, 'silence'), segment(6, 'voice', -40)),
    );
    const { gainsDb, maxCutDb } = levelingGains(activityOf(x));
    expect(gainsDb[Math.round(500 / FRAME_MS)]).toBeLessThan(-25);
    expect(Math.abs(gainsDb[Math.round(5000 / FRAME_MS)] as number)).toBeLessThan(1);
    expect(maxCutDb).toBeGreaterThan(25);
    const [loud, soft] = levelsOf(x, gainsDb, [
      [0.2, 0.9],
      [3, 7],
    ]);
    expect(Math.abs(loud! - soft!)).toBeLessThan(3);
  });

  it('leaves an even message alone and never raises a pause above its quieter neighbour', () => {
    const even = mixFloor(
      join(segment(2, 'voice', -20), segment(1, 'silence'), segment(2, 'voice', -21)),
    );
    const gains = levelingGains(activityOf(even));
    expect(gains.maxBoostDb).toBe(0);
    expect(gains.maxCutDb).toBe(0);
    const uneven = mixFloor(
      join(segment(3, 'voice', -40), segment(1.5, 'silence'), segment(3, 'voice', -15)),
    );
    const a = activityOf(uneven);
    const { gainsDb } = levelingGains(a);
    const pause = Math.round(3.6 / seconds(1));
    expect(gainsDb[pause]).toBeLessThanOrEqual(0.01);
  });
});

describe('AMR timing', () => {
  const frame = (type: number, size: number) =>
    Buffer.concat([Buffer.from([(type << 3) | 4]), Buffer.alloc(size)]);
  it('counts every frame of an AMR-NB file, comfort noise and no-data frames included', () => {
    const file = Buffer.concat([
      Buffer.from('#!AMR\n'),
      frame(7, 31),
      frame(7, 31),
      frame(8, 5),
      frame(15, 0),
      frame(15, 0),
      frame(0, 12),
    ]);
    expect(countAmrFrames(file)).toBe(6);
    expect(countAmrFrames(Buffer.from('RIFF'))).toBeUndefined();
  });

  it('reads the duration of an AMR track from a moov box', () => {
    const box = (type: string, ...content: Buffer[]) => {
      const body = Buffer.concat(content);
      const head = Buffer.alloc(8);
      head.writeUInt32BE(body.length + 8);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, body]);
    };
    const mdhd = Buffer.alloc(24);
    mdhd.writeUInt32BE(8000, 12);
    mdhd.writeUInt32BE(63840, 16);
    const stsd = Buffer.concat([
      Buffer.alloc(8),
      Buffer.from([0, 0, 0, 36]),
      Buffer.from('samr'),
      Buffer.alloc(28),
    ]);
    const moov = box(
      'trak',
      box('mdia', box('mdhd', mdhd), box('minf', box('stbl', box('stsd', stsd)))),
    );
    expect(amrTrackSeconds(moov)).toBeCloseTo(7.98, 3);
    expect(
      amrTrackSeconds(Buffer.from(moov.toString('latin1').replace('samr', 'mp4a'), 'latin1')),
    ).toBeUndefined();
  });

  it('fills the decoder’s dropped frames with silence and pads to the real length', () => {
    const args = analyseArgs({
      inputPath: '/x.amr',
      ffmpegFormat: 'amr',
      capSeconds: 301,
      highpassHz: 80,
      fillToSeconds: 7.98,
    });
    const filter = args[args.indexOf('-af') + 1];
    expect(filter).toMatch(/^aresample=async=1:min_hard_comp=0\.01:first_pts=0,/);
    expect(filter).toMatch(/,apad=whole_dur=7\.98$/);
    expect(args[args.indexOf('-t') + 1]).toBe('7.98');
  });
});
