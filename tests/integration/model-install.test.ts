import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { installModel, type ModelDownload } from '../../src/transcripts/install-model';
import { catalogueModel } from '../../src/transcripts/model-catalogue';
import { pollUntil } from '../support/poll';

const run = promisify(execFile);

/** A file server on loopback with range requests, and faults the test turns on. */
interface Faults {
  /** Close the connection after this many body bytes of the next answer. */
  cutAfter?: number;
  /** Send this many bytes of the next answer, then nothing more. */
  stallAfter?: number;
  ignoreRange?: boolean;
}

function startModelServer(files: Record<string, Buffer>) {
  const faults: Faults = {};
  const ranges: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    const body = files[(req.url ?? '').slice(1)];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    ranges.push(req.headers.range);
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = match && !faults.ignoreRange ? Number(match[1]) : 0;
    if (start >= body.length) {
      res.writeHead(416).end();
      return;
    }
    const part = body.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, {
      'content-length': part.length,
      ...(start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    const { cutAfter, stallAfter } = faults;
    faults.cutAfter = undefined;
    faults.stallAfter = undefined;
    if (cutAfter !== undefined) {
      res.write(part.subarray(0, cutAfter), () => res.destroy());
    } else if (stallAfter !== undefined) {
      res.write(part.subarray(0, stallAfter));
    } else {
      res.end(part);
    }
  });
  return {
    faults,
    ranges,
    async listen(): Promise<string> {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('installing a speech model', () => {
  const content = randomBytes(3 * 1024 * 1024 + 17);
  const zeros = Buffer.alloc(catalogueModel('base-q5_1')!.bytes);
  const server = startModelServer({ 'ggml-test.bin': content, 'ggml-base-q5_1.bin': zeros });
  let base: string;
  let dir: string;
  let model: ModelDownload;

  beforeAll(async () => {
    base = await server.listen();
    model = {
      url: `${base}/ggml-test.bin`,
      file: 'ggml-test.bin',
      bytes: content.length,
      sha256: sha256(content),
    };
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-models-'));
    server.ranges.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const partials = () => readdirSync(path.join(dir, '.partial'));

  it('installs a file whose SHA-256 matches, and leaves nothing partial', async () => {
    const result = await installModel(model, dir);
    expect(result).toEqual({
      path: path.join(dir, 'ggml-test.bin'),
      resumedFrom: 0,
      alreadyInstalled: false,
    });
    expect(sha256(readFileSync(result.path))).toBe(model.sha256);
    expect(partials()).toEqual([]);
    // A second run checks the file and downloads nothing.
    expect((await installModel(model, dir)).alreadyInstalled).toBe(true);
    expect(server.ranges).toHaveLength(1);
  });

  it('deletes a download whose SHA-256 differs from the pinned one, and says so', async () => {
    const wrong = { ...model, sha256: 'a'.repeat(64) };
    await expect(installModel(wrong, dir)).rejects.toMatchObject({
      code: 'MODEL_CHECKSUM_MISMATCH',
      message: expect.stringContaining(`SHA-256 ${model.sha256}, not the pinned ${'a'.repeat(64)}`),
    });
    expect(readdirSync(dir)).toEqual(['.partial']);
    expect(partials()).toEqual([]);
  });

  it('keeps what arrived before a cut connection, and the next run resumes from there', async () => {
    server.faults.cutAfter = 1_000_000;
    await expect(installModel(model, dir)).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_INTERRUPTED',
      message: expect.stringMatching(/stopped at \d+ of \d+ bytes.*run the same command again/),
    });
    const kept = readFileSync(path.join(dir, '.partial', 'ggml-test.bin.part')).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1_000_000);
    expect(existsSync(path.join(dir, 'ggml-test.bin'))).toBe(false);

    const result = await installModel(model, dir);
    expect(result.resumedFrom).toBe(kept);
    expect(server.ranges).toEqual([undefined, `bytes=${kept}-`]);
    expect(sha256(readFileSync(result.path))).toBe(model.sha256);
    expect(partials()).toEqual([]);
  });

  it('starts again from the beginning when the server ignores the range', async () => {
    server.faults.cutAfter = 500_000;
    await expect(installModel(model, dir)).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_INTERRUPTED',
    });
    server.faults.ignoreRange = true;
    try {
      const result = await installModel(model, dir);
      expect(result.resumedFrom).toBe(0);
      expect(sha256(readFileSync(result.path))).toBe(model.sha256);
    } finally {
      server.faults.ignoreRange = false;
    }
  });

  it('gives up on a server that stops sending, and keeps the part for later', async () => {
    server.faults.stallAfter = 200_000;
    await expect(installModel(model, dir, { stallMs: 500 })).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_INTERRUPTED',
      message: expect.stringContaining('nothing arrived for a while'),
    });
    expect(readFileSync(path.join(dir, '.partial', 'ggml-test.bin.part')).length).toBe(200_000);
  });

  it('refuses a second installer in the same folder while one runs', async () => {
    server.faults.stallAfter = 1000;
    const first = installModel(model, dir, { stallMs: 1500 });
    const lock = path.join(dir, '.partial', '.lock');
    await pollUntil(async () => existsSync(lock), Boolean, 'the first installer holding the lock');
    await expect(installModel(model, dir)).rejects.toMatchObject({ code: 'MODEL_INSTALL_BUSY' });
    await expect(first).rejects.toMatchObject({ code: 'MODEL_DOWNLOAD_INTERRUPTED' });
    // A lock left by a process that no longer runs does not block.
    writeFileSync(lock, '999999999');
    expect((await installModel(model, dir)).alreadyInstalled).toBe(false);
  });

  it('answers unreachable servers and missing files in words', async () => {
    await expect(
      installModel({ ...model, url: 'http://127.0.0.1:9/ggml-test.bin' }, dir),
    ).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
      message: expect.stringContaining('could not reach 127.0.0.1:9'),
    });
    await expect(installModel({ ...model, url: `${base}/nothing.bin` }, dir)).rejects.toMatchObject(
      {
        code: 'MODEL_DOWNLOAD_FAILED',
        message: expect.stringContaining('answered 404'),
      },
    );
  });

  describe('the command', () => {
    const hallo = (args: string[], env: Record<string, string>) =>
      run(process.execPath, ['dist/main.js', 'models', ...args], {
        env: { ...process.env, MODELS_DIR: dir, ...env },
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );

    it('lists the models it can install, with sizes and speed', async () => {
      const { code, stdout } = await hallo(['list'], {});
      expect(code).toBe(0);
      expect(stdout).toMatch(/^base-q5_1\t60 MB\t0\.\dx real time on one core\tnot installed\t/m);
      expect(stdout).toMatch(
        /^large-v3-turbo-q5_0\t574 MB\t\d+\.\dx real time on one core\tnot installed\t/m,
      );
    });

    it('refuses an unknown name, and a mirror file that is not the pinned one', async () => {
      const unknown = await hallo(['install', 'tiny'], {});
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('name one of base-q5_1, small-q5_1, large-v3-turbo-q5_0');

      const mirrored = await hallo(['install', 'base-q5_1'], { MODELS_MIRROR_URL: base });
      expect(mirrored.code).toBe(1);
      expect(mirrored.stderr).toContain(
        `MODEL_CHECKSUM_MISMATCH: ggml-base-q5_1.bin has SHA-256 ${sha256(zeros)}, not the pinned 422f1ae4`,
      );
      expect(existsSync(path.join(dir, 'ggml-base-q5_1.bin'))).toBe(false);
      expect(partials()).toEqual([]);
    });
  });
});
