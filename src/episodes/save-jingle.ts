import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { transcodeToClips } from '../audio/transcode';
import type { Config } from '../config';
import type { ProcessSlots } from '../audio/process-slots';
import type { JingleSlot } from '../storage/keys';
import { clipRenderOptions } from '../submissions/clip-render-options';
import {
  checkAudio,
  requireAudioFile,
  type UploadedAudio,
} from '../submissions/receive-submission';
import type { Jingle, Jingles } from './jingles';

export interface JingleDeps {
  config: Config;
  inspections: ProcessSlots;
  jingles: Jingles;
  tempDir: string;
}

/**
 * The owner's jingle: checked like any upload, rendered like a clip (−16 LUFS, 48 kHz mono WAV
 * and MP3) but without the noise stage, which is for voices, then kept for every segment. It is
 * rendered here, in the request: a jingle is short and uploaded once.
 */
export async function saveJingle(
  deps: JingleDeps,
  slot: JingleSlot,
  upload: UploadedAudio | undefined,
  by: string,
): Promise<Jingle> {
  const { file, container } = requireAudioFile(upload);
  await checkAudio(deps, file, container);
  const workDir = await mkdtemp(path.join(deps.tempDir, `jingle-${slot}-`));
  try {
    const clips = await transcodeToClips(
      file.path,
      container,
      workDir,
      clipRenderOptions(deps.config, 'original', undefined),
    );
    const jingle: Jingle = {
      slot,
      uploadedAt: new Date().toISOString(),
      uploadedBy: by,
      durationSeconds: clips.durationSeconds,
      sha256: file.sha256,
    };
    await deps.jingles.save(jingle, clips.wavPath, clips.mp3Path);
    return jingle;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
