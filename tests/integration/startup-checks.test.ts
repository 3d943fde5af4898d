import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/log';
import { checkFfmpeg } from '../../src/startup/check-ffmpeg';
import { sweepTempDir } from '../../src/startup/sweep-temp';

const logger = createLogger('silent');

describe('start-up checks', () => {
  it('accepts the system ffmpeg and names a missing one with how to install it', async () => {
    await expect(checkFfmpeg('ffmpeg')).resolves.toBeUndefined();
    await expect(checkFfmpeg('/nonexistent/ffmpeg')).rejects.toThrow(/apt-get install ffmpeg/);
  });

  it('sweeps temp entries a killed process left, and keeps fresh ones', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-sweep-'));
    try {
      const hourAgo = (Date.now() - 2 * 3600 * 1000) / 1000;
      writeFileSync(path.join(dir, 'upload-old'), 'x');
      mkdirSync(path.join(dir, 'job-old'));
      writeFileSync(path.join(dir, 'job-old', 'original.webm'), 'x');
      utimesSync(path.join(dir, 'upload-old'), hourAgo, hourAgo);
      utimesSync(path.join(dir, 'job-old'), hourAgo, hourAgo);
      writeFileSync(path.join(dir, 'upload-fresh'), 'x');
      expect(await sweepTempDir(dir, logger)).toBe(2);
      expect(readdirSync(dir)).toEqual(['upload-fresh']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
