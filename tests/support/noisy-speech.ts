import { execFileSync } from 'node:child_process';

/**
 * Speech under generated noise at a chosen SNR, for the noise stage's tests and bench/denoise:
 * espeak-ng voices (German and English) with pauses between sentences, and noises made by
 * ffmpeg: pink and brown noise, babble of other voices, a fan (pink noise with a 180 Hz tone),
 * 50 Hz mains hum with harmonics, and wind-like rumble in bursts. 48 kHz mono float.
 */

export const RATE = 48000;
export const NOISES = ['pink', 'brown', 'babble', 'fan', 'hum', 'wind'] as const;
export type Noise = (typeof NOISES)[number];

const floats = (buffer: Buffer): Float32Array =>
  new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length));

const toPcm = (args: string[], input?: Buffer): Float32Array =>
  floats(
    execFileSync(
      'ffmpeg',
      ['-nostdin', '-v', 'error', ...args, '-ac', '1', '-ar', String(RATE), '-f', 'f32le', '-'],
      { maxBuffer: 1 << 28, ...(input && { input }) },
    ),
  );

/** One sentence spoken by espeak-ng. */
export function spoken(text: string, voice: string, wordsPerMinute = 150): Float32Array {
  const wav = execFileSync('espeak-ng', [
    '-v',
    voice,
    '-s',
    String(wordsPerMinute),
    '--stdout',
    text,
  ]);
  return toPcm(['-i', '-'], wav);
}

const silence = (seconds: number) => new Float32Array(Math.round(seconds * RATE));

function join(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const rms = (x: Float32Array): number => {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / Math.max(1, x.length));
};

/** A listener's message: two sentences with pauses before, between and after. */
export function cleanMessage(language: 'de' | 'en'): Float32Array {
  const sentences =
    language === 'de'
      ? [
          'Hallo, ich höre euren Podcast jeden Morgen auf dem Weg zur Arbeit.',
          'Macht bitte weiter so, und grüßt mir die ganze Redaktion.',
        ]
      : [
          'Hello, I listen to your show every morning on my way to work.',
          'Please keep going, and say hello to the whole team from me.',
        ];
  const speech = join([
    silence(0.8),
    spoken(sentences[0] as string, language),
    silence(0.7),
    spoken(sentences[1] as string, language),
    silence(0.8),
  ]);
  // Speech at about -20 dBFS RMS, as a phone records it.
  const scale = 0.1 / rms(speech);
  return speech.map((v) => v * scale);
}

function lavfi(source: string, samples: number): Float32Array {
  return toPcm(['-f', 'lavfi', '-i', source, '-t', String(samples / RATE + 0.1)]).subarray(
    0,
    samples,
  );
}

function babble(samples: number): Float32Array {
  const voices = [
    spoken(
      'Der Kaffee ist heute wirklich gut, und draußen scheint endlich die Sonne.',
      'de+m3',
      170,
    ),
    spoken(
      'We met at the station and then walked along the river to the old market.',
      'en+f3',
      165,
    ),
    spoken('Morgen fahren wir in die Berge und bleiben dort eine ganze Woche.', 'de+f2', 160),
    spoken('Can you pass me the sugar, please? Thanks, and the milk too.', 'en+m2', 175),
  ];
  const out = new Float32Array(samples);
  voices.forEach((voice, k) => {
    const offset = Math.round(k * 0.37 * RATE);
    for (let i = 0; i < samples; i++) out[i]! += voice[(i + offset) % voice.length] as number;
  });
  return out;
}

/** `samples` of one kind of noise, at an arbitrary level. */
export function noise(kind: Noise, samples: number): Float32Array {
  switch (kind) {
    case 'pink':
      return lavfi('anoisesrc=color=pink:seed=11:r=48000', samples);
    case 'brown':
      return lavfi('anoisesrc=color=brown:seed=12:r=48000', samples);
    case 'babble':
      return babble(samples);
    case 'fan': {
      const hiss = lavfi('anoisesrc=color=pink:seed=13:r=48000,lowpass=f=2500', samples);
      const level = rms(hiss);
      return hiss.map((v, i) => v + level * 0.6 * Math.sin((2 * Math.PI * 180 * i) / RATE));
    }
    case 'hum':
      return lavfi(
        "aevalsrc='sin(2*PI*50*t)+0.5*sin(2*PI*100*t)+0.4*sin(2*PI*150*t)+0.25*sin(2*PI*200*t)+0.2*sin(2*PI*250*t)+0.1*sin(2*PI*350*t)':s=48000",
        samples,
      );
    case 'wind': {
      const rumble = lavfi('anoisesrc=color=brown:seed=14:r=48000,lowpass=f=300', samples);
      // Gusts: a slow envelope between 0.2 and 1.
      return rumble.map((v, i) => v * (0.6 + 0.4 * Math.sin((2 * Math.PI * 0.4 * i) / RATE)));
    }
  }
}

/** `clean` with `kind` noise added at `snrDb` (RMS of the whole message against the noise). */
export function mix(clean: Float32Array, kind: Noise, snrDb: number): Float32Array {
  const n = noise(kind, clean.length);
  const scale = rms(clean) / rms(n) / 10 ** (snrDb / 20);
  return clean.map((v, i) => v + (n[i] as number) * scale);
}

/** The samples as a 24-bit WAV file, as a listener's upload. */
export function writeWav(samples: Float32Array, file: string): void {
  execFileSync(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-f', 'f32le', '-ar', String(RATE), '-ac', '1', '-i', '-'],
      ...['-c:a', 'pcm_s24le', '-y', file],
    ],
    { input: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength) },
  );
}

/** A WAV or MP3 file as 48 kHz mono float. */
export const readPcm = (file: string): Float32Array => toPcm(['-i', file]);
