/**
 * Where everything of an episode's voice segment goes: each part (a clip or a jingle) one after
 * the other with a pause between, on the WAV's sample timeline, and the same for the MP3, which
 * is joined from the parts' own MP3 frames, so its pauses are whole frames.
 */

export interface SegmentPart {
  /** A chapter starts at the part when it has a title (the clips); jingles have none. */
  title?: string;
  wavSamples: number;
  mp3Frames: number;
}

export interface SegmentFormat {
  sampleRate: number;
  samplesPerMp3Frame: number;
  gapSeconds: number;
}

export interface Chapter {
  title: string;
  startSeconds: number;
  endSeconds: number;
  /** The part it starts at. */
  part: number;
}

/** What the WAV holds in order: a part's samples, or silence. */
export type WavPiece = { part: number; samples: number } | { silence: number };
/** What the MP3 holds in order: a part's frames, or silent frames. */
export type Mp3Piece = { part: number; frames: number } | { silentFrames: number };

export interface SegmentLayout {
  wav: WavPiece[];
  mp3: Mp3Piece[];
  /** Where each part starts in the WAV, in samples. */
  starts: number[];
  totalSamples: number;
  totalMp3Frames: number;
  chapters: Chapter[];
}

export function layoutSegment(parts: SegmentPart[], format: SegmentFormat): SegmentLayout {
  const gap = Math.round(format.gapSeconds * format.sampleRate);
  const wav: WavPiece[] = [];
  const mp3: Mp3Piece[] = [];
  const starts: number[] = [];
  let wavCursor = 0;
  let mp3Cursor = 0; // in samples
  parts.forEach((part, index) => {
    if (index > 0 && gap > 0) {
      wav.push({ silence: gap });
      wavCursor += gap;
    }
    // The MP3's pause is as many silent frames as bring this part nearest its WAV start: each
    // part's MP3 is a little longer than its WAV (encoder delay and padding), and this keeps
    // that from adding up over many clips.
    if (index > 0) {
      const frames = Math.max(0, Math.round((wavCursor - mp3Cursor) / format.samplesPerMp3Frame));
      if (frames > 0) mp3.push({ silentFrames: frames });
      mp3Cursor += frames * format.samplesPerMp3Frame;
    }
    starts.push(wavCursor);
    wav.push({ part: index, samples: part.wavSamples });
    mp3.push({ part: index, frames: part.mp3Frames });
    wavCursor += part.wavSamples;
    mp3Cursor += part.mp3Frames * format.samplesPerMp3Frame;
  });
  const seconds = (samples: number) => samples / format.sampleRate;
  const titled = parts.flatMap((part, index) =>
    part.title === undefined ? [] : [{ title: part.title, part: index }],
  );
  const chapters = titled.map(({ title, part }, i) => {
    const next = titled[i + 1];
    return {
      title,
      part,
      startSeconds: seconds(starts[part]!),
      endSeconds: seconds(next ? starts[next.part]! : wavCursor),
    };
  });
  return {
    wav,
    mp3,
    starts,
    totalSamples: wavCursor,
    totalMp3Frames: mp3Cursor / format.samplesPerMp3Frame,
    chapters,
  };
}
