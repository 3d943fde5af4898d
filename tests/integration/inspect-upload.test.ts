import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspectUpload, type InspectOptions } from '../../src/audio/inspect-upload';
import { ProcessNotFoundError, ProcessTimeoutError } from '../../src/audio/run-process';
import { sniffContainer, type AudioContainer } from '../../src/audio/sniff';
import { ensureFixtures, fixture } from '../support/fixtures';

const OPTIONS: InspectOptions = {
  ffmpegPath: 'ffmpeg',
  maxDurationSeconds: 300,
  timeoutMs: 20_000,
};
/** The default SILENCE_THRESHOLD_DB: the caller decides, these tests use the default. */
const SILENCE_DB = -50;

beforeAll(() => ensureFixtures());

const sniffed = (name: string): AudioContainer => {
  const container = sniffContainer(readFileSync(fixture(name)).subarray(0, 64));
  if (!container) throw new Error(`${name} is not sniffable`);
  return container;
};

describe('inspectUpload on good recordings', () => {
  // name, expected duration (s), silent?
  const cases: [string, number, boolean][] = [
    ['chrome.webm', 10.96, false],
    ['firefox.ogg', 7.53, false],
    ['safari.mp4', 7.55, false],
    ['phone.m4a', 7.96, false],
    ['speech.mp3', 15.49, false],
    ['speech.wav', 7.53, false],
    ['speech.flac', 7.96, false],
    ['speech-16k.wav', 7.53, false],
    ['quiet.wav', 7.53, false],
    ['loud.wav', 7.96, false],
    ['long-60s.webm', 60, false],
    ['too-short.wav', 0.4, false],
    ['video-with-audio.mp4', 3.0, false],
    ['silent.webm', 5, true],
    ['near-silent.wav', 5, true],
  ];
  it.each(cases)('%s: %ss, silent=%s, never corrupt', async (name, seconds, silent) => {
    const facts = await inspectUpload(fixture(name), sniffed(name), OPTIONS);
    expect(facts.corrupt).toBe(false);
    expect(facts.problem).toBeUndefined();
    expect(facts.durationSeconds).toBeCloseTo(seconds, 1);
    expect(facts.peakDb < SILENCE_DB).toBe(silent);
  });

  it('measures a Chrome WebM without a header duration by decoding it', async () => {
    const facts = await inspectUpload(fixture('chrome.webm'), 'webm', OPTIONS);
    expect(facts.durationSeconds).toBeGreaterThan(10);
  });

  it('stops decoding one second past the limit, so "too long" is still visible', async () => {
    const facts = await inspectUpload(fixture('too-long.webm'), 'webm', OPTIONS);
    expect(facts.durationSeconds).toBeGreaterThan(300.5);
    expect(facts.durationSeconds).toBeLessThanOrEqual(301);
    const small = await inspectUpload(fixture('chrome.webm'), 'webm', {
      ...OPTIONS,
      maxDurationSeconds: 5,
    });
    expect(small.durationSeconds).toBeCloseTo(6, 1);
  });

  it('reports digital silence as -144 dBFS rather than -Infinity', async () => {
    expect((await inspectUpload(fixture('silent.webm'), 'webm', OPTIONS)).peakDb).toBe(-144);
  });
});

describe('inspectUpload on broken or foreign files', () => {
  // name, container the sniffer found or a liar claimed, what ffmpeg says
  const cases: [string, AudioContainer, RegExp][] = [
    ['truncated.webm', 'webm', /File ended prematurely/],
    ['corrupt.mp3', 'mp3', /Header missing|Invalid data/],
    ['empty.bin', 'webm', /EBML header parsing failed|Invalid data/],
    ['fake-wav.wav', 'wav', /invalid format in RIFF header|Invalid data/],
    ['image.png', 'webm', /./],
    ['text.txt', 'mp3', /./],
    ['playlist.m3u', 'ogg', /./],
    ['image.png', 'mp4', /moov atom not found|Invalid data/],
  ];
  it.each(cases)('%s read as %s is corrupt', async (name, container, problem) => {
    const facts = await inspectUpload(fixture(name), container, OPTIONS);
    expect(facts.corrupt).toBe(true);
    expect(facts.problem).toMatch(problem);
    expect(facts.problem).not.toContain('0x'); // no addresses
    expect(facts.problem).not.toContain(fixture(name)); // no paths
  });

  it('a video without audio is "no audio stream"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hallo-inspect-'));
    try {
      const video = path.join(dir, 'video-only.mp4');
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc=s=32x32:r=5',
        '-t',
        '1',
        '-c:v',
        'mpeg4',
        video,
      ]);
      const facts = await inspectUpload(video, 'mp4', OPTIONS);
      expect(facts).toMatchObject({
        corrupt: true,
        problem: 'no audio stream',
        durationSeconds: 0,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('inspectUpload when ffmpeg itself fails', () => {
  it('rejects with a timeout (not "corrupt") when ffmpeg hangs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hallo-inspect-'));
    try {
      const hung = path.join(dir, 'ffmpeg');
      writeFileSync(hung, '#!/bin/sh\nexec sleep 1000\n');
      chmodSync(hung, 0o755);
      const started = Date.now();
      await expect(
        inspectUpload(fixture('speech.wav'), 'wav', {
          ...OPTIONS,
          ffmpegPath: hung,
          timeoutMs: 300,
        }),
      ).rejects.toBeInstanceOf(ProcessTimeoutError);
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says how to install ffmpeg when it is missing', async () => {
    await expect(
      inspectUpload(fixture('speech.wav'), 'wav', {
        ...OPTIONS,
        ffmpegPath: '/nonexistent/ffmpeg',
      }),
    ).rejects.toBeInstanceOf(ProcessNotFoundError);
  });
});
