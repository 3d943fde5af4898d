import {
  analyseArgs,
  inspectArgs,
  decodeOwnFileArgs,
  mp3FromWavArgs,
  renderArgs,
  renderFilter,
  safetyArgs,
  type RenderPlan,
} from '../../src/audio/ffmpeg-args';

const SAFETY = [
  '-nostdin',
  '-hide_banner',
  '-nostats',
  '-loglevel',
  'level+warning',
  '-threads',
  '1',
  '-filter_threads',
  '1',
  '-filter_complex_threads',
  '1',
  '-protocol_whitelist',
  'file',
];
const PCM_OUT = ['-c:a', 'pcm_f32le', '-flush_packets', '0', '-f', 'f32le', 'pipe:1'];

const plan: RenderPlan = {
  rawPath: '/work/job/.clip-1.raw.part',
  startSample: 9600,
  endSample: 489600,
  gainDb: 13.9712,
  limit: 0.7943282347,
  fadeSeconds: 0.01,
  wavPath: '/work/job/.clip-1.wav.part',
  mp3BitrateKbps: 96,
  mp3GainDb: 0.4512,
};

describe('safetyArgs', () => {
  it('is the hardening every ffmpeg run starts with', () => {
    expect(safetyArgs()).toEqual(SAFETY);
  });
});

describe('inspectArgs', () => {
  it('decodes the first audio stream of a forced format, capped, to mono 16 kHz float on stdout', () => {
    expect(
      inspectArgs({ inputPath: '/tmp/up/abc', ffmpegFormat: 'matroska', capSeconds: 301 }),
    ).toEqual([
      ...SAFETY,
      '-f',
      'matroska',
      '-i',
      'file:/tmp/up/abc',
      '-map',
      '0:a:0',
      '-t',
      '301',
      '-af',
      'aformat=channel_layouts=mono|stereo,pan=stereo|c0=c0|c1=c1,aformat=sample_fmts=flt,aresample=16000',
      ...PCM_OUT,
    ]);
  });

  it('never lets a file name pick a protocol', () => {
    const args = inspectArgs({
      inputPath: 'http://evil/x.mp3',
      ffmpegFormat: 'mp3',
      capSeconds: 10.5,
    });
    expect(args[args.indexOf('-i') + 1]).toBe('file:http://evil/x.mp3');
    expect(args[args.indexOf('-t') + 1]).toBe('10.5');
  });
});

describe('analyseArgs', () => {
  it('decodes once to mono 48 kHz float, high-passed, on stdout', () => {
    expect(
      analyseArgs({
        inputPath: '/in/original.m4a',
        ffmpegFormat: 'mov',
        capSeconds: 301,
        highpassHz: 80,
      }),
    ).toEqual([
      ...SAFETY,
      '-f',
      'mov',
      '-i',
      'file:/in/original.m4a',
      '-map',
      '0:a:0',
      '-t',
      '301',
      '-af',
      'aformat=channel_layouts=mono|stereo,pan=stereo|c0=c0|c1=c1,aformat=sample_fmts=flt,aresample=48000,highpass=f=80',
      ...PCM_OUT,
    ]);
  });
});

describe('renderFilter', () => {
  it('trims, applies gain, limits, fades and splits into three outputs', () => {
    expect(renderFilter(plan)).toBe(
      '[0:a]atrim=start_sample=9600:end_sample=489600,asetpts=PTS-STARTPTS,' +
        'volume=13.971dB:precision=float,' +
        'alimiter=limit=0.794328:attack=5:release=50:level=false:latency=true,' +
        'afade=t=in:d=0.01,afade=t=out:st=9.99:d=0.01,' +
        'asplit=3[wav][lame][pcm];[lame]volume=0.451dB:precision=float[mp3]',
    );
  });

  it('keeps the limit inside what alimiter accepts and fades inside short clips', () => {
    const f = renderFilter({ ...plan, limit: 0.01, endSample: 9600 + 960, gainDb: -3 });
    expect(f).toContain('alimiter=limit=0.062500:');
    expect(f).toContain('volume=-3.000dB');
    expect(f).toContain('afade=t=in:d=0.005,afade=t=out:st=0.015:d=0.005');
    expect(renderFilter({ ...plan, limit: 3 })).toContain('alimiter=limit=1.000000:');
  });
});

describe('renderArgs', () => {
  it('reads our raw PCM and writes WAV, MP3 (to fd 3) and PCM for verification in one process', () => {
    expect(renderArgs(plan)).toEqual([
      ...SAFETY.slice(0, -1),
      'file,pipe',
      '-f',
      'f32le',
      '-ar',
      '48000',
      '-ac',
      '1',
      '-i',
      'file:/work/job/.clip-1.raw.part',
      '-filter_complex',
      renderFilter(plan),
      '-map',
      '[wav]',
      '-c:a',
      'pcm_s24le',
      '-f',
      'wav',
      '-y',
      'file:/work/job/.clip-1.wav.part',
      '-map',
      '[mp3]',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '96k',
      '-compression_level',
      '7',
      '-f',
      'mp3',
      '-y',
      'pipe:3',
      '-map',
      '[pcm]',
      ...PCM_OUT,
    ]);
  });
});

describe('the MP3 level builders', () => {
  it('decodes our own file to mono float at 48 kHz', () => {
    expect(decodeOwnFileArgs({ inputPath: '/job/clip.mp3', ffmpegFormat: 'mp3' })).toEqual([
      ...SAFETY,
      '-f',
      'mp3',
      '-i',
      'file:/job/clip.mp3',
      '-map',
      '0:a:0',
      '-af',
      'aformat=sample_fmts=flt:channel_layouts=mono,aresample=48000',
      ...PCM_OUT,
    ]);
  });

  it('encodes the MP3 again from the WAV with a gain', () => {
    expect(
      mp3FromWavArgs({
        wavPath: '/j/c.wav',
        mp3Path: '/j/c.mp3',
        gainDb: 0.45,
        mp3BitrateKbps: 96,
      }),
    ).toEqual([
      ...SAFETY,
      '-f',
      'wav',
      '-i',
      'file:/j/c.wav',
      '-af',
      'volume=0.450dB:precision=float',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '96k',
      '-compression_level',
      '7',
      '-f',
      'mp3',
      '-y',
      'file:/j/c.mp3',
    ]);
  });
});

describe('every builder', () => {
  const untrusted = { inputPath: '/x', ffmpegFormat: 'ogg', capSeconds: 5 };
  const all: [string, string[]][] = [
    ['inspectArgs', inspectArgs(untrusted)],
    ['analyseArgs', analyseArgs({ ...untrusted, highpassHz: 80 })],
    ['renderArgs', renderArgs(plan)],
    ['decodeOwnFileArgs', decodeOwnFileArgs({ inputPath: '/x', ffmpegFormat: 'mp3' })],
    [
      'mp3FromWavArgs',
      mp3FromWavArgs({ wavPath: '/w', mp3Path: '/m', gainDb: 0.4, mp3BitrateKbps: 96 }),
    ],
  ];
  it.each(all)(
    '%s starts with the safety flags and forces the input format before -i',
    (_name, args) => {
      // Only the render may also write to a pipe (its MP3, to fd 3); it reads our own file.
      expect(args.slice(0, SAFETY.length - 1)).toEqual(SAFETY.slice(0, -1));
      expect(args[SAFETY.length - 1]).toBe(_name === 'renderArgs' ? 'file,pipe' : 'file');
      const input = args.indexOf('-i');
      expect(args.slice(SAFETY.length, input)).toContain('-f');
      expect(args[input + 1]).toMatch(/^file:\//);
      expect(args.filter((a) => a === '-i')).toHaveLength(1);
    },
  );
  it.each(all.slice(0, 2))(
    '%s maps only the first audio stream and caps the duration',
    (_name, args) => {
      expect(args.slice(args.indexOf('-map'), args.indexOf('-map') + 4)).toEqual([
        '-map',
        '0:a:0',
        '-t',
        '5',
      ]);
    },
  );
});
