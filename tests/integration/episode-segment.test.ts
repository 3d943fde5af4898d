import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { transcodeToClips, type TranscodeResult } from '../../src/audio/transcode';
import { chapterTitle } from '../../src/episodes/chapter-title';
import { renderSegment, type SegmentInput } from '../../src/episodes/render-segment';
import { ebur128, ensureFixtures, fixture } from '../support/fixtures';
import { probeChapters } from '../support/probe-chapters';

const GAP = 0.8;
const RATE = 48000;

const probe = probeChapters;

/** Decoded length in samples, counted by ffmpeg (not the header's estimate). */
const decodedSamples = (file: string): number =>
  execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '48000', '-'],
    {
      maxBuffer: 1 << 30,
    },
  ).length / 2;

describe('the episode segment: rendered clips in one WAV and one MP3, with chapters', () => {
  let root: string;
  const rendered: (TranscodeResult & { title?: string })[] = [];
  // Listener text with everything the chapter formats must escape.
  const listeners = [
    { name: 'Anna aus Berlin', topic: 'Ebbe & Flut' },
    { name: 'Jörg = #1; aus Köln', topic: 'Back\\slash\nzweite Zeile' },
    { name: 'Zoë', topic: undefined },
  ];

  beforeAll(async () => {
    ensureFixtures();
    root = mkdtempSync(path.join(tmpdir(), 'hallo-segment-'));
    const sources: [string, 'wav' | 'mp3' | 'webm'][] = [
      ['speech.wav', 'wav'],
      ['quiet.wav', 'wav'],
      ['chrome.webm', 'webm'],
      ['loud.wav', 'wav'],
    ];
    for (const [name, container] of sources) {
      const dir = mkdtempSync(path.join(root, 'clip-'));
      rendered.push(
        await transcodeToClips(fixture(name), container, dir, {
          ffmpegPath: 'ffmpeg',
          targetLufs: -16,
          truePeakDbtp: -1.5,
          mp3BitrateKbps: 96,
          maxDurationSeconds: 301,
          timeoutMs: 60_000,
        }),
      );
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('places every clip, pause and jingle to the sample, with markers and chapters at each clip', async () => {
    // An intro jingle (the loud clip stands in for one), then three listeners' clips.
    const [jingle, ...clips] = [rendered[3]!, rendered[0]!, rendered[1]!, rendered[2]!];
    const inputs: SegmentInput[] = [
      { wavPath: jingle.wavPath, mp3Path: jingle.mp3Path },
      ...clips.map((clip, i) => ({
        wavPath: clip.wavPath,
        mp3Path: clip.mp3Path,
        title: chapterTitle(listeners[i]!),
      })),
    ];
    const workDir = mkdtempSync(path.join(root, 'segment-'));
    const files = await renderSegment(inputs, workDir, {
      ffmpegPath: 'ffmpeg',
      timeoutMs: 60_000,
      gapSeconds: GAP,
      title: 'Folge 42',
    });

    // Expected from the clips alone: their decoded lengths and the pauses between.
    const lengths = inputs.map((input) => decodedSamples(input.wavPath));
    const gap = GAP * RATE;
    const starts = lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0) + i * gap);
    const total = lengths.reduce((a, b) => a + b, 0) + gap * (lengths.length - 1);

    expect(decodedSamples(files.wav)).toBe(total);
    const mp3Seconds = Number(probe(files.mp3).format.duration);
    expect(Math.abs(mp3Seconds - total / RATE)).toBeLessThan(0.05);
    expect(Math.abs(decodedSamples(files.mp3) / RATE - total / RATE)).toBeLessThan(0.05);

    const titles = listeners.map(chapterTitle);
    expect(titles[1]).toBe('Jörg = #1; aus Köln — Back\\slash zweite Zeile');
    // WAV: cue points with labels, read back by ffprobe as chapters, exact to the sample.
    const wavChapters = probe(files.wav).chapters;
    expect(wavChapters.map((c) => c.tags?.title)).toEqual(titles);
    wavChapters.forEach((c, i) =>
      expect(Math.round(Number(c.start_time) * RATE)).toBe(starts[i + 1]),
    );
    // MP3: ID3v2 CHAP frames, within a frame of the WAV's times.
    const mp3Chapters = probe(files.mp3).chapters;
    expect(mp3Chapters.map((c) => c.tags?.title)).toEqual(titles);
    mp3Chapters.forEach((c, i) =>
      expect(Math.abs(Number(c.start_time) - starts[i + 1]! / RATE)).toBeLessThan(0.05),
    );
    const id3 = readFileSync(files.mp3).subarray(0, 4096).toString('latin1');
    expect(id3).toContain('CTOC');
    expect(id3).toContain('CHAP');

    // Each clip's region keeps the clip's loudness: the segment levels nothing again.
    for (let i = 1; i < inputs.length; i++) {
      const region = ['-ss', String(starts[i]! / RATE), '-t', String(lengths[i]! / RATE)];
      const measured = ebur128(files.wav, region).integratedLufs;
      expect(Math.abs(measured - -16)).toBeLessThanOrEqual(0.5);
    }

    // The side files agree with the markers.
    const labels = readFileSync(files.labels, 'utf8').trimEnd().split('\n');
    expect(labels).toHaveLength(3);
    expect(labels[1]!.split('\t')).toEqual([
      (starts[2]! / RATE).toFixed(6),
      (starts[3]! / RATE).toFixed(6),
      titles[1],
    ]);
    const json = JSON.parse(readFileSync(files.chapters, 'utf8'));
    expect(json.version).toBe('1.2.0');
    expect(json.chapters.map((c: { title: string }) => c.title)).toEqual(titles);
    expect(json.chapters[0].startTime).toBeCloseTo(starts[1]! / RATE, 3);
  });

  it('joins without pauses, and pauses of a single MP3 frame', async () => {
    for (const gapSeconds of [0, 0.03]) {
      const inputs = rendered.slice(0, 2).map((clip, i) => ({
        wavPath: clip.wavPath,
        mp3Path: clip.mp3Path,
        title: `Clip ${i + 1}`,
      }));
      const files = await renderSegment(inputs, mkdtempSync(path.join(root, 'gap-')), {
        ffmpegPath: 'ffmpeg',
        timeoutMs: 60_000,
        gapSeconds,
        title: 'Folge 43',
      });
      const lengths = inputs.map((input) => decodedSamples(input.wavPath));
      const total = lengths[0]! + lengths[1]! + Math.round(gapSeconds * RATE);
      expect(decodedSamples(files.wav)).toBe(total);
      // Without a pause nothing can absorb each MP3's encoder delay and padding (under 50 ms a
      // clip); with any pause the MP3 keeps to the WAV within 50 ms.
      const drift = (decodedSamples(files.mp3) - total) / RATE;
      expect(drift).toBeGreaterThan(-0.05);
      expect(drift).toBeLessThan(gapSeconds === 0 ? 0.05 * inputs.length : 0.05);
    }
  });
});
