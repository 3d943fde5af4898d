import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyseArgs } from '../../src/audio/ffmpeg-args';
import { binSignal, integratedLoudness, loudnessRange } from '../../src/audio/loudness';
import { ProcessAbortedError, ProcessTimeoutError } from '../../src/audio/run-process';
import { sniffContainer, type AudioContainer } from '../../src/audio/sniff';
import { toDb, truePeak } from '../../src/audio/true-peak';
import { transcodeToClips, type TranscodeOptions } from '../../src/audio/transcode';
import { ebur128, ensureFixtures, fixture, probeAudio } from '../support/fixtures';

const TARGET = -16;
const TRUE_PEAK = -1.5;
const OPTIONS: TranscodeOptions = {
  ffmpegPath: 'ffmpeg',
  targetLufs: TARGET,
  truePeakDbtp: TRUE_PEAK,
  mp3BitrateKbps: 96,
  maxDurationSeconds: 301,
  timeoutMs: 30_000,
};

let root: string;
beforeAll(() => {
  ensureFixtures();
  root = mkdtempSync(path.join(tmpdir(), 'hallo-transcode-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const container = (name: string): AudioContainer => {
  const c = sniffContainer(readFileSync(fixture(name)).subarray(0, 64));
  if (!c) throw new Error(`${name} is not sniffable`);
  return c;
};
const freshDir = (label: string): string => mkdtempSync(path.join(root, `${label}-`));

describe('transcodeToClips', () => {
  const good = [
    'chrome.webm',
    'firefox.ogg',
    'safari.mp4',
    'phone.m4a',
    'speech.mp3',
    'speech.wav',
    'speech.flac',
    'quiet.wav',
    'loud.wav',
  ];

  it.each(good)('%s -> mono 48 kHz clips at the target loudness', async (name) => {
    const outDir = freshDir(name);
    const result = await transcodeToClips(fixture(name), container(name), outDir, OPTIONS);

    expect(readdirSync(outDir).sort()).toEqual(['clip.mp3', 'clip.wav']); // no temp files left
    expect(result.wavPath).toBe(path.join(outDir, 'clip.wav'));
    expect(result.mp3Path).toBe(path.join(outDir, 'clip.mp3'));
    expect(probeAudio(result.wavPath)).toMatchObject({
      codec_name: 'pcm_s24le',
      sample_rate: '48000',
      channels: 1,
    });
    expect(probeAudio(result.mp3Path)).toMatchObject({
      codec_name: 'mp3',
      sample_rate: '48000',
      channels: 1,
    });

    const measured = ebur128(result.wavPath);
    expect(Math.abs(measured.integratedLufs - TARGET)).toBeLessThanOrEqual(1);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(TRUE_PEAK + 0.2);
    // What the pipeline reports agrees with the independent measurement.
    expect(Math.abs(result.output.integratedLufs - measured.integratedLufs)).toBeLessThanOrEqual(
      0.2,
    );
    expect(Math.abs(result.output.truePeakDbtp - measured.truePeakDbtp)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(result.output.integratedLufs - TARGET)).toBeLessThanOrEqual(0.5);
    // The MP3 plays at the WAV's loudness (LAME alone leaves it about 0.45 LU quieter), within
    // the ceiling, and the result says what it measured.
    const mp3 = ebur128(result.mp3Path);
    expect(Math.abs(mp3.integratedLufs - measured.integratedLufs)).toBeLessThanOrEqual(0.2);
    expect(mp3.truePeakDbtp).toBeLessThanOrEqual(TRUE_PEAK + 0.2);
    expect(Math.abs(result.mp3.integratedLufs - mp3.integratedLufs)).toBeLessThanOrEqual(0.2);

    const wavSeconds = Number(probeAudio(result.wavPath).duration);
    expect(result.durationSeconds).toBeCloseTo(wavSeconds, 2);
    expect(
      Math.abs(result.peaks.data.length - result.durationSeconds * result.peaks.samplesPerSecond),
    ).toBeLessThanOrEqual(1);
    expect(Math.max(...result.peaks.data)).toBeLessThanOrEqual(1);
    expect(Math.max(...result.peaks.data)).toBeGreaterThan(0.5);
    expect(result.input.integratedLufs).toBeLessThan(
      result.output.integratedLufs + (name === 'loud.wav' ? 1 : -5),
    );
  });

  it('trims the silence around the speech, keeping a short pad', async () => {
    const result = await transcodeToClips(
      fixture('chrome.webm'),
      'webm',
      freshDir('trim'),
      OPTIONS,
    );
    // chrome.webm: 1.5 s of room noise, ~8 s of speech, 1.5 s of room noise (10.96 s).
    expect(result.trimmedStartSeconds).toBeGreaterThan(1.1);
    expect(result.trimmedStartSeconds).toBeLessThan(1.5);
    expect(result.trimmedEndSeconds).toBeGreaterThan(1.1);
    expect(result.durationSeconds).toBeLessThan(10.96 - 2.2);
    expect(result.durationSeconds).toBeCloseTo(
      10.96 - result.trimmedStartSeconds - result.trimmedEndSeconds,
      1,
    );
  });

  it('brings very quiet speech (-40 LUFS) to the target with a large gain', async () => {
    const result = await transcodeToClips(fixture('quiet.wav'), 'wav', freshDir('quiet'), OPTIONS);
    expect(result.input.integratedLufs).toBeCloseTo(-40, 0);
    expect(result.gainDb).toBeGreaterThan(20);
    expect(Math.abs(ebur128(result.wavPath).integratedLufs - TARGET)).toBeLessThanOrEqual(1);
  });

  it('honours other targets', async () => {
    const result = await transcodeToClips(fixture('speech.flac'), 'flac', freshDir('target'), {
      ...OPTIONS,
      targetLufs: -23,
      truePeakDbtp: -3,
    });
    const measured = ebur128(result.wavPath);
    expect(Math.abs(measured.integratedLufs + 23)).toBeLessThanOrEqual(0.5);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(-2.8);
  });

  it('approaches an unreachable target without breaking the true-peak ceiling', async () => {
    // -8 LUFS at -1 dBTP needs more than a limiter can give on speech: the limiter push is
    // capped, and the inter-sample overshoot of that much limiting is caught by the verify step.
    const result = await transcodeToClips(fixture('speech.flac'), 'flac', freshDir('hot'), {
      ...OPTIONS,
      targetLufs: -8,
      truePeakDbtp: -1,
    });
    const measured = ebur128(result.wavPath);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(-1 + 0.2);
    expect(measured.integratedLufs).toBeGreaterThan(-15);
    expect(result.renders).toBe(2);
    expect(Math.abs(result.output.integratedLufs - measured.integratedLufs)).toBeLessThanOrEqual(
      0.2,
    );
  });

  it('caps the output at maxDurationSeconds', async () => {
    const result = await transcodeToClips(fixture('long-60s.webm'), 'webm', freshDir('cap'), {
      ...OPTIONS,
      maxDurationSeconds: 20,
    });
    expect(result.durationSeconds).toBeLessThanOrEqual(20);
  });
});

describe('transcodeToClips failures leave nothing behind', () => {
  let bin: string;
  beforeAll(() => {
    bin = freshDir('bin');
    // Hangs in the analyse pass.
    writeFileSync(path.join(bin, 'hung-ffmpeg'), '#!/bin/sh\nexec sleep 1000\n');
    // Runs the real analyse pass, then hangs in the render after creating its outputs.
    writeFileSync(
      path.join(bin, 'hung-render-ffmpeg'),
      '#!/bin/sh\ncase " $* " in\n  *" -filter_complex "*)\n' +
        '    for a in "$@"; do case "$a" in file:*.wav.part|file:*.mp3.part) : > "${a#file:}";; esac; done\n' +
        '    exec sleep 1000;;\nesac\nexec ffmpeg "$@"\n',
    );
    for (const f of readdirSync(bin)) chmodSync(path.join(bin, f), 0o755);
  });

  it.each(['hung-ffmpeg', 'hung-render-ffmpeg'])(
    'a timeout kills %s and removes every temp file',
    async (stub) => {
      const outDir = freshDir(stub);
      const started = Date.now();
      await expect(
        transcodeToClips(fixture('speech.wav'), 'wav', outDir, {
          ...OPTIONS,
          ffmpegPath: path.join(bin, stub),
          timeoutMs: 1500,
        }),
      ).rejects.toBeInstanceOf(ProcessTimeoutError);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(readdirSync(outDir)).toEqual([]);
    },
  );

  it('an abort does the same', async () => {
    const outDir = freshDir('abort');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await expect(
      transcodeToClips(fixture('speech.wav'), 'wav', outDir, {
        ...OPTIONS,
        ffmpegPath: path.join(bin, 'hung-render-ffmpeg'),
        signal: controller.signal,
      }),
    ).rejects.toBeInstanceOf(ProcessAbortedError);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('a corrupt input fails without outputs', async () => {
    const outDir = freshDir('corrupt');
    await expect(transcodeToClips(fixture('empty.bin'), 'webm', outDir, OPTIONS)).rejects.toThrow();
    expect(readdirSync(outDir)).toEqual([]);
    expect(existsSync(path.join(outDir, 'clip.wav'))).toBe(false);
  });
});

describe('Node-side measurements agree with ffmpeg ebur128=peak=true', () => {
  const names = [
    'chrome.webm',
    'firefox.ogg',
    'safari.mp4',
    'phone.m4a',
    'speech.mp3',
    'quiet.wav',
    'loud.wav',
    'long-60s.webm',
  ];
  it.each(names)('%s: integrated loudness, loudness range and true peak', (name) => {
    const args = analyseArgs({
      inputPath: fixture(name),
      ffmpegFormat: 'matroska',
      capSeconds: 301,
      highpassHz: 80,
    });
    // Same decode as the pipeline, but letting ffmpeg probe the format (any fixture).
    const pcm = execFileSync(
      'ffmpeg',
      args.filter((a, i) => !(a === '-f' && args[i + 1] === 'matroska') && a !== 'matroska'),
      { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const raw = path.join(root, `${name}.f32`);
    writeFileSync(raw, pcm);
    const samples = new Float32Array(pcm.buffer, pcm.byteOffset, pcm.length / 4);
    const bins = binSignal(samples);
    const reference = ebur128(raw, ['-f', 'f32le', '-ar', '48000', '-ac', '1']);
    expect(
      Math.abs(integratedLoudness(bins.energy) - reference.integratedLufs),
    ).toBeLessThanOrEqual(0.1);
    expect(Math.abs(loudnessRange(bins.energy) - reference.loudnessRangeLu)).toBeLessThanOrEqual(
      0.3,
    );
    expect(Math.abs(toDb(truePeak(samples)) - reference.truePeakDbtp)).toBeLessThanOrEqual(0.15);
  });
});
