import { CONTAINERS, sniffContainer, type AudioContainer } from '../../src/audio/sniff';
import { ensureFixtures, fixtureHead } from '../support/fixtures';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );
const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc(64 - b.length)]);
const ftyp = (brand: string): Buffer =>
  pad(bytes([0, 0, 0, 0x1c], 'ftyp', brand, [0, 0, 2, 0], 'isom'));

describe('sniffContainer: hand-made headers', () => {
  const cases: [string, Buffer, AudioContainer | undefined][] = [
    ['EBML (WebM/Matroska)', pad(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86])), 'webm'],
    ['Ogg page', pad(bytes('OggS', [0, 2])), 'ogg'],
    ['FLAC', pad(bytes('fLaC', [0, 0, 0, 0x22])), 'flac'],
    ['RIFF WAVE', pad(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')), 'wav'],
    ['RF64 WAVE', pad(bytes('RF64', [0xff, 0xff, 0xff, 0xff], 'WAVEds64')), 'wav'],
    ['RIFF AVI is not WAV', pad(bytes('RIFF', [0x24, 0, 0, 0], 'AVI LIST')), undefined],
    ['MP4 isom', ftyp('isom'), 'mp4'],
    ['M4A (voice memo)', ftyp('M4A '), 'mp4'],
    ['MP4 iso5 (Safari fragmented)', ftyp('iso5'), 'mp4'],
    ['3GP (Android)', ftyp('3gp4'), 'mp4'],
    ['QuickTime', ftyp('qt  '), 'mp4'],
    ['HEIC image shares ftyp', ftyp('heic'), undefined],
    ['AVIF image shares ftyp', ftyp('avif'), undefined],
    ['ID3v2.4 tag', pad(bytes('ID3', [4, 0, 0, 0, 0, 0x10, 0x7f])), 'mp3'],
    ['ID3 with a non-syncsafe size', pad(bytes('ID3', [3, 0, 0, 0x80, 0, 0, 0])), undefined],
    ['MPEG-1 layer III frame, 128 kb/s 44.1 kHz', pad(bytes([0xff, 0xfb, 0x90, 0x64])), 'mp3'],
    ['MPEG-2 layer III frame', pad(bytes([0xff, 0xf3, 0x48, 0xc4])), 'mp3'],
    ['0xFFFF fill', Buffer.alloc(64, 0xff), undefined],
    ['layer II frame', pad(bytes([0xff, 0xfd, 0x90, 0x64])), undefined],
    ['ADTS AAC (layer bits 00)', pad(bytes([0xff, 0xf1, 0x50, 0x80])), undefined],
    ['bad bitrate index', pad(bytes([0xff, 0xfb, 0xf0, 0x64])), undefined],
    ['reserved sample rate', pad(bytes([0xff, 0xfb, 0x9c, 0x64])), undefined],
    ['reserved MPEG version', pad(bytes([0xff, 0xeb, 0x90, 0x64])), undefined],
    ['AMR-NB storage format', pad(bytes('#!AMR\n', [0x3c])), 'amr'],
    ['AMR-WB storage format', pad(bytes('#!AMR-WB\n', [0x2c])), 'amr'],
    ['AMR multichannel header is not AMR', pad(bytes('#!AMR_MC1.0\n')), undefined],
    ['CAF version 1', pad(bytes('caff', [0, 1, 0, 0], 'desc')), 'caf'],
    ['CAF with an unknown version', pad(bytes('caff', [0, 2, 0, 0], 'desc')), undefined],
    ['AIFF', pad(bytes('FORM', [0, 0, 1, 0], 'AIFFCOMM')), 'aiff'],
    ['AIFF-C (sowt)', pad(bytes('FORM', [0, 0, 1, 0], 'AIFCFVER')), 'aiff'],
    ['IFF that is not AIFF', pad(bytes('FORM', [0, 0, 1, 0], 'ILBMBMHD')), undefined],
    ['PNG', pad(bytes([0x89], 'PNG\r\n', [0x1a, 0x0a])), undefined],
    ['zeros', Buffer.alloc(64), undefined],
    ['empty', Buffer.alloc(0), undefined],
    ['three bytes', bytes('Ogg'), undefined],
  ];
  it.each(cases)('%s', (_name, head, expected) => {
    expect(sniffContainer(head)).toBe(expected);
  });

  it('looks at the first 64 bytes only', () => {
    const late = Buffer.concat([Buffer.alloc(64), bytes('OggS')]);
    expect(sniffContainer(late)).toBeUndefined();
    expect(sniffContainer(Buffer.concat([bytes('OggS'), Buffer.alloc(1000)]))).toBe('ogg');
  });
});

describe('sniffContainer: generated fixtures', () => {
  beforeAll(() => ensureFixtures());
  const cases: [string, AudioContainer | undefined][] = [
    ['chrome.webm', 'webm'],
    ['long-60s.webm', 'webm'],
    ['silent.webm', 'webm'],
    ['truncated.webm', 'webm'],
    ['firefox.ogg', 'ogg'],
    ['safari.mp4', 'mp4'],
    ['phone.m4a', 'mp4'],
    ['video-with-audio.mp4', 'mp4'],
    ['speech.mp3', 'mp3'],
    ['corrupt.mp3', 'mp3'],
    ['speech.wav', 'wav'],
    ['speech-16k.wav', 'wav'],
    ['quiet.wav', 'wav'],
    ['speech.flac', 'flac'],
    ['whatsapp.opus', 'ogg'],
    ['telegram.oga', 'ogg'],
    ['android.amr', 'amr'],
    ['android.3gp', 'mp4'],
    ['voice-memo-alac.m4a', 'mp4'],
    ['ios.caf', 'caf'],
    ['phone-mulaw.wav', 'wav'],
    ['hires-96k.flac', 'flac'],
    ['image.png', undefined],
    ['playlist.m3u', undefined],
    ['text.txt', undefined],
    ['fake-wav.wav', undefined],
    ['empty.bin', undefined],
  ];
  it.each(cases)('%s -> %s', (name, expected) => {
    expect(sniffContainer(fixtureHead(name))).toBe(expected);
  });
});

describe('CONTAINERS', () => {
  it('maps every container to an ffmpeg demuxer', () => {
    expect(
      Object.fromEntries(Object.entries(CONTAINERS).map(([k, v]) => [k, v.ffmpegFormat])),
    ).toEqual({
      webm: 'matroska',
      ogg: 'ogg',
      mp4: 'mov',
      mp3: 'mp3',
      wav: 'wav',
      flac: 'flac',
      amr: 'amr',
      caf: 'caf',
      aiff: 'aiff',
    });
  });
});
