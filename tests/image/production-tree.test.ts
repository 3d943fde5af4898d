import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openAsBlob,
  readdirSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { fixture } from '../support/fixtures';
import { REDIS_URL } from '../support/redis-url';
import { freePort } from '../resilience/support/free-port';
import {
  killHard,
  startHalloProcess,
  type HalloLaunch,
  type HalloProcess,
} from '../resilience/support/hallo-process';
import { replayDockerfile, type ReplayedImage } from './dockerfile-replay';

/**
 * The image as far as this machine allows (no Docker engine here): the Dockerfile's stages replayed
 * into a folder, then `api` and `worker` started from that tree the way the image starts them, as
 * a non-root user, with the app folder read-only and the data under /data-style folders. A file
 * missing from a COPY, a dev dependency needed at run time or a write into the app folder fails it.
 */
const ROOT = path.join(__dirname, '..', '..');
const TOKEN = `image-${randomBytes(8).toString('hex')}`;
// `nobody` where the tests run as root; otherwise the user itself, who cannot write a 0555 tree.
const RUN_AS = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

let work: string;
let image: ReplayedImage;
let data: { storage: string; tmp: string };
const started: HalloProcess[] = [];
let prefix: string;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(() => {
  if (RUN_AS.uid !== undefined) {
    const probe = spawnSync(process.execPath, ['--version'], RUN_AS);
    if (probe.status !== 0)
      throw new Error(
        `${process.execPath} cannot be run by uid ${RUN_AS.uid}: put this Node where other users can read it (scripts/node-binary.sh does)`,
      );
  }
  work = mkdtempSync(path.join(os.tmpdir(), 'hallo-image-'));
  chmodSync(work, 0o755); // the runtime user must reach the tree
  image = replayDockerfile(ROOT, path.join(work, 'image'));
  // The image's data folders, owned by its user, as the Dockerfile's `chown` makes them.
  data = { storage: path.join(work, 'data', 'storage'), tmp: path.join(work, 'data', 'tmp') };
  for (const dir of Object.values(data)) {
    mkdirSync(dir, { recursive: true });
    if (RUN_AS.uid !== undefined) chownSync(dir, RUN_AS.uid, RUN_AS.gid);
  }
  chownSync(
    path.join(work, 'data'),
    RUN_AS.uid ?? process.getuid!(),
    RUN_AS.gid ?? process.getgid!(),
  );
  execFileSync('chmod', ['-R', 'a-w', image.appDir]);
  prefix = `hallo-image-${randomBytes(5).toString('hex')}`;
}, 600_000);

afterAll(async () => {
  await Promise.all(started.map(killHard));
  if (work) {
    execFileSync('chmod', ['-R', 'u+w', work]);
    rmSync(work, { recursive: true, force: true });
  }
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

/** The image's ENV, with its /data paths mapped onto this test's folders. */
function imageEnv(port: number): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work };
  for (const [key, value] of Object.entries(image.env)) {
    env[key] = value.replace('/data/storage', data.storage).replace('/data/tmp', data.tmp);
  }
  return {
    ...env,
    PORT: String(port),
    REDIS_URL,
    REDIS_PREFIX: prefix,
    ADMIN_TOKEN: TOKEN,
    RATE_LIMIT_UPLOADS: '0',
  };
}

/** `node dist/main.js` from the image's ENTRYPOINT, without its init process (tini). */
function launch(): HalloLaunch {
  const nodeAt = image.entrypoint.indexOf('node');
  expect(nodeAt).toBeGreaterThanOrEqual(0);
  return {
    args: image.entrypoint.slice(nodeAt + 1),
    cwd: image.appDir,
    cleanEnv: true,
    timeoutMs: 60_000,
    ...RUN_AS,
  };
}

describe('the production image tree', () => {
  it('holds only what the image copies, without dev dependencies', () => {
    expect(readdirSync(image.appDir).sort()).toEqual([
      'dist',
      'models',
      'node_modules',
      'package.json',
      'public',
    ]);
    // The speech engine was compiled in the build stage; no model is baked in by default.
    const engine = path.join(image.appDir, 'node_modules/smart-whisper/build/Release');
    expect(readdirSync(engine)).toContain('smart-whisper.node');
    expect(readdirSync(path.join(image.appDir, 'models'))).toEqual([]);
    expect(image.env.MODELS_DIR).toBe('/app/models');
    // (typescript stays: @bull-board's valibot names it as an optional peer, and npm keeps those.)
    for (const dev of ['jest', 'ts-jest', 'eslint', 'playwright-core', 'fauxqs', 's3rver', 'tsx']) {
      expect(existsSync(path.join(image.appDir, 'node_modules', dev, 'package.json'))).toBe(false);
    }
    expect(image.user).toBe('node');
    expect(image.volumes).toEqual(['/data/storage', '/data/tmp']);
    expect(image.systemRuns.join('\n')).toMatch(/install -y --no-install-recommends ffmpeg tini/);
  });

  it('runs api and worker from the tree and takes a message to ready', async () => {
    const port = await freePort();
    const before = filesUnder(image.appDir).length;
    const [role] = image.cmd;
    expect(role).toBe('all');
    started.push(await startHalloProcess('api', imageEnv(port), launch()));
    started.push(await startHalloProcess('worker', imageEnv(await freePort()), launch()));

    // The image's own HEALTHCHECK, as Docker would run it inside the container.
    expect(image.healthcheck).toBeDefined();
    const health = spawnSync('sh', ['-c', image.healthcheck as string], {
      env: { PATH: process.env.PATH, PORT: String(port) },
      timeout: 10_000,
    });
    expect(health.status).toBe(0);

    const form = new FormData();
    form.append('name', 'Anna aus Berlin');
    form.append('consent', 'true');
    form.append('audio', await openAsBlob(fixture('chrome.webm')), 'chrome.webm');
    const sent = await fetch(`http://127.0.0.1:${port}/api/submissions`, {
      method: 'POST',
      body: form,
    });
    expect(sent.status).toBe(201);
    const { id } = (await sent.json()) as { id: string };

    const deadline = Date.now() + 60_000;
    let state = '';
    while (Date.now() < deadline && state !== 'ready' && state !== 'failed') {
      await new Promise((r) => setTimeout(r, 300));
      const answer = await fetch(`http://127.0.0.1:${port}/api/admin/submissions/${id}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      state = ((await answer.json()) as { processing: { state: string } }).processing.state;
    }
    expect(state).toBe('ready');
    const stored = filesUnder(data.storage).map((f) => path.basename(f));
    expect(stored).toEqual(expect.arrayContaining(['clip.wav', 'clip.mp3', 'listener.json']));
    expect(filesUnder(data.tmp)).toEqual([]);
    expect(filesUnder(image.appDir)).toHaveLength(before);
    for (const process of started) expect(process.child.exitCode).toBeNull();
  }, 180_000);
});
