import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * An ffmpeg stand-in: the real one, except that the render (the only call writing 24-bit WAV)
 * first runs `beforeRender` (a sleep, to be caught mid-transcode; a hang; a failure).
 */
export function ffmpegStandIn(
  beforeRender: string,
  dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-ffmpeg-')),
): string {
  const real = execFileSync('sh', ['-c', 'command -v ffmpeg']).toString().trim();
  const file = path.join(dir, 'ffmpeg');
  writeFileSync(
    file,
    `#!/bin/bash\ncase "$*" in *pcm_s24le*) ${beforeRender} ;; esac\nexec ${real} "$@"\n`,
  );
  chmodSync(file, 0o755);
  return file;
}
