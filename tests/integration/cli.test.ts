import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(ROOT, 'src', 'main.ts');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function hallo(args: string[], env: Record<string, string>) {
  return spawnSync(TSX, [MAIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 30000,
  });
}

describe('the hallo command', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-cli-'));
  let afterCleanup = () => {};
  afterAll(() => {
    afterCleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad configuration, naming every bad variable', () => {
    const result = hallo(['api'], { PORT: 'x', STORAGE_DRIVER: 'ftp', STORAGE_DIR: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/STORAGE_DRIVER/);
  });

  it('says how to fix an unreachable Redis', async () => {
    const result = hallo(['api'], {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      STORAGE_DIR: dir,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Redis does not answer .*install redis-server/);
  });

  it('rebuilds the index with `reindex` and prints what it did', () => {
    const result = hallo(['reindex'], {
      STORAGE_DIR: dir,
      REDIS_PREFIX: `hallo-test-cli-${process.pid}`,
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual({ indexed: 0 });
  });

  it('manages accounts and API tokens with `user` and `token`', () => {
    const env = {
      STORAGE_DIR: path.join(dir, 'cli-user-store'),
      REDIS_PREFIX: `hallo-test-cli-${process.pid}`,
    };
    const added = hallo(['user', 'add', '--role', 'editor', 'Anna@Example.org'], env);
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(
      /^created anna@example\.org \(editor\)\npassword: [A-Za-z0-9_-]{24}\n$/,
    );
    expect(hallo(['user', 'add', 'anna@example.org'], env).stderr).toMatch(
      /already has an account/,
    );
    const preset = hallo(['user', 'add', '--role', 'owner', 'olga@example.org'], {
      ...env,
      HALLO_PASSWORD: 'chosen-password-123',
    });
    expect(preset.stdout).toBe('created olga@example.org (owner)\n'); // a given password is not echoed
    expect(hallo(['user', 'list'], env).stdout).toMatch(
      /^anna@example\.org\teditor\tsince \d{4}-\d\d-\d\d\nolga@example\.org\towner\t/,
    );
    const reset = hallo(['user', 'reset', 'anna@example.org'], env);
    expect(reset.stdout).toMatch(/signed out everywhere, 0 API token\(s\) revoked\npassword: /);
    const token = hallo(['token', 'create', 'anna@example.org', '--name', 'export'], env);
    expect(token.stdout).toMatch(
      /^token [0-9a-f]{16} for anna@example\.org \(shown once\):\nhallo_/,
    );
    expect(hallo(['token', 'list'], env).stdout).toMatch(
      /^[0-9a-f]{16}\tanna@example\.org\texport\t/,
    );
    expect(hallo(['user', 'remove', 'olga@example.org'], env).stderr).toMatch(/last owner/);
    const removed = hallo(['user', 'remove', 'anna@example.org'], env);
    expect(removed.stdout).toBe('removed anna@example.org and 1 API token(s)\n');
    expect(hallo(['token', 'list'], env).stdout).toBe('no tokens\n');
    const bad = hallo(['user', 'add', '--role', 'boss', 'x@example.org'], env);
    expect([bad.status, bad.stderr]).toEqual([
      1,
      expect.stringMatching(/--role must be one of owner, editor/),
    ]);
  });

  it('answers an unknown command with its usage', () => {
    const result = hallo(['serve-everything'], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: hallo/);
  });

  it('embedded default: starts a private redis-server when none answers, and stops it on SIGTERM', async () => {
    const [redisPort, httpPort] = [await freePort(), await freePort()];
    const child = spawn(TSX, [MAIN, 'all'], {
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        PORT: String(httpPort),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        STORAGE_DIR: dir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // A failed expectation below must not leave the process (and this test run) hanging.
    afterCleanup = () => child.kill('SIGKILL');
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 20000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('hallo is listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(output).toMatch(/started a private redis-server/);
    const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    expect(ready.status).toBe(200);
    // The first start creates the owner and prints its password once; it signs in.
    const owner = /e-mail: +(\S+)\n +password: +(\S+)/.exec(output);
    expect(owner?.[1]).toBe('owner@hallo.local');
    const origin = `http://127.0.0.1:${httpPort}`;
    const login = await fetch(`${origin}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: owner?.[1], password: owner?.[2] }),
    });
    expect(login.status).toBe(200);
    const redisRunning = () =>
      spawnSync('sh', ['-c', `pgrep -f "[r]edis-server 127.0.0.1:${redisPort}" || true`], {
        encoding: 'utf8',
      }).stdout.trim();
    expect(redisRunning()).not.toBe('');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(redisRunning()).toBe('');
  });
});
