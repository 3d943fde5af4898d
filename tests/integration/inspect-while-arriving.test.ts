import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EarlyRefusal,
  StreamingInspection,
  type StreamVerdict,
} from '../../src/audio/inspect-stream';
import { inspectUpload } from '../../src/audio/inspect-upload';
import { ProcessSlots } from '../../src/audio/process-slots';
import { sniffContainer } from '../../src/audio/sniff';
import { ensureFixtures, fixture, loopedFixture } from '../support/fixtures';
import { lyingWavs } from '../support/lying-wav';

const OPTIONS = {
  ffmpegPath: 'ffmpeg',
  maxDurationSeconds: 300,
  timeoutMs: 20_000,
  uploadWallMs: 60_000,
};
const SILENCE_DB = -50;

beforeAll(() => ensureFixtures());

/** Feeds bytes in uneven chunks, as a socket would hand them over. */
async function feed(inspection: StreamingInspection, bytes: Buffer): Promise<StreamVerdict> {
  const sizes = [1, 7, 63, 500, 4096, 16_384, 65_536];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    await inspection.write(bytes.subarray(at, at + size));
    at += size;
  }
  return inspection.end();
}

const every = readdirSync(path.dirname(fixture('chrome.webm'))).filter((name) => {
  const head = readFileSync(fixture(name)).subarray(0, 64);
  return sniffContainer(head) !== undefined;
});

describe('checking while the bytes arrive gives the verdict of checking the file', () => {
  it.each(every)('%s', async (name) => {
    const bytes = readFileSync(fixture(name));
    const container = sniffContainer(bytes.subarray(0, 64))!;
    const fromFile = await inspectUpload(fixture(name), container, OPTIONS);
    let verdict: StreamVerdict;
    try {
      verdict = await feed(new StreamingInspection(OPTIONS), bytes);
    } catch (error) {
      // Refused early: only ever for what the file check finds too long.
      expect(error).toBeInstanceOf(EarlyRefusal);
      expect((error as EarlyRefusal).reason).toBe('too-long');
      expect(fromFile.durationSeconds).toBeGreaterThan(300.5);
      return;
    }
    // Formats that need seeking are left to the file check.
    if (verdict.kind === 'deferred') {
      expect(verdict.container).toBe(container);
      expect(['mp4', 'caf', 'aiff']).toContain(container);
      return;
    }
    const { facts } = verdict;
    expect(facts.corrupt).toBe(fromFile.corrupt);
    expect(facts.durationSeconds).toBeCloseTo(fromFile.durationSeconds, 1);
    expect(facts.channelMode).toBe(fromFile.channelMode);
    expect(facts.peakDb < SILENCE_DB).toBe(fromFile.peakDb < SILENCE_DB);
    // A WAV is measured at its own rate, ffmpeg's check at 16 kHz (without what lies above
    // 8 kHz): peaks agree within a few dB.
    if (fromFile.peakDb > SILENCE_DB)
      expect(Math.abs(facts.peakDb - fromFile.peakDb)).toBeLessThan(3.5);
  });

  it('plans each container the way it can be read', async () => {
    const planned = async (name: string) => {
      const verdict = await feed(new StreamingInspection(OPTIONS), readFileSync(fixture(name)));
      return verdict.kind;
    };
    // Fragmented MP4 (Safari) streams; moov-at-the-end (phones) waits for the file.
    expect(await planned('safari.mp4')).toBe('facts');
    expect(await planned('phone.m4a')).toBe('deferred');
    expect(await planned('chrome.webm')).toBe('facts');
  });
});

describe('WAV headers are checked, never trusted', () => {
  it.each([
    ['data past the end', lyingWavs.dataPastTheEnd(), /ends before/],
    ['a 4 GB claim', lyingWavs.fourGigabytes(), /ends before/],
    ['a truncated file', lyingWavs.truncated(), /ends before/],
  ])('%s is corrupt', async (_, bytes, problem) => {
    const verdict = await feed(new StreamingInspection(OPTIONS), bytes);
    expect(verdict.kind === 'facts' && verdict.facts.corrupt).toBe(true);
    expect(verdict.kind === 'facts' && verdict.facts.problem).toMatch(problem);
  });

  it('a block align that contradicts the format is refused at the header', async () => {
    const inspection = new StreamingInspection(OPTIONS);
    const bytes = lyingWavs.oddBlockAlign();
    await expect(inspection.write(bytes.subarray(0, 4096))).rejects.toEqual(
      new EarlyRefusal('corrupt'),
    );
  });

  it('an open size (0xFFFFFFFF, as written to a pipe) means "until the end"', async () => {
    const verdict = await feed(new StreamingInspection(OPTIONS), lyingWavs.openSize());
    expect(verdict.kind).toBe('facts');
    if (verdict.kind !== 'facts') return;
    expect(verdict.facts.corrupt).toBe(false);
    expect(verdict.facts.durationSeconds).toBeCloseTo(7.53, 1);
  });
});

describe('refusing early', () => {
  it('refuses a too-long WebM long before its end', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'hallo-long-'));
    const bytes = readFileSync(loopedFixture('long-60s.webm', 20, path.join(scratch, 'long.webm')));
    rmSync(scratch, { recursive: true, force: true });
    const inspection = new StreamingInspection({ ...OPTIONS, maxDurationSeconds: 60 });
    let fed = 0;
    const refusal = await (async () => {
      for (; fed < bytes.length; fed += 4096)
        await inspection.write(bytes.subarray(fed, fed + 4096));
    })().catch((error: unknown) => error);
    expect(refusal).toEqual(new EarlyRefusal('too-long'));
    // 60 s of 1200 s, plus what sits in the buffers between Node and the decoder's output.
    expect(fed).toBeLessThan((bytes.length * 60.5) / 1200 + 300 * 1024);
    expect(fed).toBeLessThan(bytes.length * 0.25);
  });

  it('refuses what is not audio from its first bytes', async () => {
    const inspection = new StreamingInspection(OPTIONS);
    await expect(inspection.write(readFileSync(fixture('image.png')))).rejects.toEqual(
      new EarlyRefusal('unsupported'),
    );
  });
});

describe('slots and backpressure', () => {
  it('defers to the file check when no decoder slot is free, and frees its slot when done', async () => {
    const slots = new ProcessSlots(1);
    const bytes = readFileSync(fixture('chrome.webm'));
    const first = new StreamingInspection({ ...OPTIONS, slots });
    await first.write(bytes.subarray(0, 1024));
    const second = new StreamingInspection({ ...OPTIONS, slots });
    expect((await feed(second, bytes)).kind).toBe('deferred');
    await first.write(bytes.subarray(1024));
    expect((await first.end()).kind).toBe('facts');
    expect(slots.tryAcquire()).toBeDefined();
  });

  it('a decoder that does not read holds back the upload instead of buffering it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hallo-stalled-ffmpeg-'));
    const stalled = path.join(dir, 'ffmpeg');
    writeFileSync(stalled, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(stalled, 0o755);
    const inspection = new StreamingInspection({ ...OPTIONS, ffmpegPath: stalled });
    // A WebM start, then 4 MB the stalled decoder never sees.
    const bytes = Buffer.concat([readFileSync(fixture('chrome.webm')), randomBytes(4 << 20)]);
    let accepted = 0;
    const writing = (async () => {
      for (; accepted < bytes.length; accepted += 8192)
        await inspection.write(bytes.subarray(accepted, accepted + 8192));
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The PassThrough (2 × 16 kB) and the stdin socket pair's buffer (about 208 kB on Linux)
    // fill; then writing waits.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(512 * 1024);
    expect(accepted).toBeLessThan(bytes.length);
    inspection.abort();
    await writing.catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
});
