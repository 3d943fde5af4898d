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
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
