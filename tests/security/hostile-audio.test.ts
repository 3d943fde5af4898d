import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { watchEventLoop } from '../support/event-loop-watchdog';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('audio that tries to make ffmpeg reach out or blow up', () => {
  let hallo: Harness;
  let bait: Server;
  let baitUrl: string;
  const baitHits: string[] = [];
  let dir: string;
  beforeAll(async () => {
    // A server ffmpeg would fetch from if a playlist, concat list or reference were followed.
    bait = createServer((req, res) => {
      baitHits.push(req.url ?? '');
      res.end(readFileSync(fixture('speech.wav')));
    });
    await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
    baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}`;
    dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-hostile-'));
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono'],
      ...['-t', '3600', '-c:a', 'flac', path.join(dir, 'hour.flac')],
    ]);
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      env: { MAX_DURATION_SECONDS: '300' },
    });
  });
  afterAll(async () => {
    await hallo.stop();
    await new Promise((resolve) => bait.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  watchEventLoop();

  const send = (bytes: Buffer, filename: string, type = 'audio/mpeg') =>
    hallo.upload({ audio: { bytes, filename, type }, fields: validFields });

  it.each([
    [
      'an HLS playlist',
      () => `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n${baitUrl}/hls.wav\n#EXT-X-ENDLIST\n`,
      'x.m3u8',
    ],
    [
      'an ffconcat list',
      () => `ffconcat version 1.0\nfile '${baitUrl}/concat.wav'\nfile '/etc/passwd'\n`,
      'x.ffconcat',
    ],
    [
      'an SDP description',
      () => `v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 9 RTP/AVP 0\n`,
      'x.sdp',
    ],
    ['a bare URL', () => `${baitUrl}/bare.wav`, 'x.txt'],
    ['a playlist behind a WAV name', () => `#EXTM3U\n${baitUrl}/named.wav\n`, 'voice.wav'],
  ])('refuses %s and fetches nothing', async (_case, body, filename) => {
    const refused = await send(Buffer.from(body()), filename);
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe('UNSUPPORTED_AUDIO_FORMAT');
    expect(baitHits).toEqual([]);
    expect(hallo.tempFiles()).toEqual([]);
  });

  it('refuses an hour of silence that packs into little FLAC, early and quickly', async () => {
    const bytes = readFileSync(path.join(dir, 'hour.flac'));
    expect(bytes.length).toBeLessThan(3e6);
    const started = Date.now();
    const refused = await send(bytes, 'hour.flac', 'audio/flac');
    expect(refused.body.error.code).toBe('AUDIO_TOO_LONG');
    expect(Date.now() - started).toBeLessThan(15000);
    expect(hallo.tempFiles()).toEqual([]);
  });

  it('refuses a WAV header that claims gigabytes', async () => {
    const wav = readFileSync(fixture('speech.wav'));
    const lying = Buffer.from(wav);
    lying.writeUInt32LE(0xfffffff0, 4);
    const dataAt = lying.indexOf('data');
    lying.writeUInt32LE(0xffff0000, dataAt + 4);
    const refused = await send(lying.subarray(0, 64 * 1024), 'big.wav', 'audio/wav');
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(hallo.tempFiles()).toEqual([]);
  });
});
