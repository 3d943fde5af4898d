import { readFileSync } from 'node:fs';
import { fixture } from './fixtures';

/** Offset of a RIFF chunk's header in a WAV, found by walking the chunks. */
function chunkAt(wav: Buffer, id: string): number {
  for (let at = 12; at + 8 <= wav.length;) {
    if (wav.toString('latin1', at, at + 4) === id) return at;
    at += 8 + wav.readUInt32LE(at + 4) + (wav.readUInt32LE(at + 4) % 2);
  }
  throw new Error(`no ${id} chunk`);
}

/** speech.wav (16-bit PCM) with its header changed by `edit`, which gets the chunk offsets. */
export function editedWav(edit: (wav: Buffer, at: { fmt: number; data: number }) => void): Buffer {
  const wav = Buffer.from(readFileSync(fixture('speech.wav')));
  edit(wav, { fmt: chunkAt(wav, 'fmt '), data: chunkAt(wav, 'data') });
  return wav;
}

/** The WAV headers that lie, and one that only looks odd (a streaming writer's open size). */
export const lyingWavs = {
  /** Declares a million more bytes of samples than follow. */
  dataPastTheEnd: () =>
    editedWav((w, at) => w.writeUInt32LE(w.readUInt32LE(at.data + 4) + 1_000_000, at.data + 4)),
  /** Declares almost 4 GB of samples. */
  fourGigabytes: () => editedWav((w, at) => w.writeUInt32LE(0xfffffff0, at.data + 4)),
  /** Block align 3 for 16-bit mono. */
  oddBlockAlign: () => editedWav((w, at) => w.writeUInt16LE(3, at.fmt + 8 + 12)),
  /** Cut at 60 %: the header's size is the whole recording's. */
  truncated: () => {
    const whole = readFileSync(fixture('speech.wav'));
    return whole.subarray(0, Math.floor(whole.length * 0.6));
  },
  /** 0xFFFFFFFF as ffmpeg and sox write to a pipe: "until the end". Not a lie. */
  openSize: () => editedWav((w, at) => w.writeUInt32LE(0xffffffff, at.data + 4)),
};
