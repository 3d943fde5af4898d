/**
 * A WAV's markers: a `cue ` chunk with one point per chapter and a `LIST`/`adtl` chunk naming
 * each with a `labl`. DAWs (Reaper, Audition) show them as markers; ffprobe as chapters.
 */

export interface CuePoint {
  sample: number;
  label: string;
}

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  // RIFF chunks start on even offsets: an odd body gets a pad byte the size does not count.
  return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
}

export function cueChunks(points: CuePoint[]): Buffer {
  if (points.length === 0) return Buffer.alloc(0);
  const cue = Buffer.alloc(4 + points.length * 24);
  cue.writeUInt32LE(points.length, 0);
  points.forEach((point, i) => {
    const at = 4 + i * 24;
    cue.writeUInt32LE(i + 1, at); // the point's id, which its label refers to
    cue.writeUInt32LE(point.sample, at + 4);
    cue.write('data', at + 8, 'latin1');
    cue.writeUInt32LE(0, at + 12);
    cue.writeUInt32LE(0, at + 16);
    cue.writeUInt32LE(point.sample, at + 20);
  });
  const labels = points.map((point, i) => {
    const id = Buffer.alloc(4);
    id.writeUInt32LE(i + 1, 0);
    // UTF-8, NUL-terminated, with no NUL inside to end it early.
    return chunk('labl', Buffer.concat([id, Buffer.from(`${point.label.replace(/\0/g, '')}\0`)]));
  });
  return Buffer.concat([
    chunk('cue ', cue),
    chunk('LIST', Buffer.concat([Buffer.from('adtl', 'latin1'), ...labels])),
  ]);
}
