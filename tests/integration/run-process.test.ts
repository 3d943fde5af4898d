import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  ProcessAbortedError,
  ProcessFailedError,
  ProcessNotFoundError,
  ProcessTimeoutError,
  runProcess,
  STDERR_TAIL_BYTES,
} from '../../src/audio/run-process';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hallo-run-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Gone means no such pid, or a zombie (already dead, waiting for a reaper). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return stat === '' || / Z /.test(stat.slice(stat.lastIndexOf(')')));
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    if (isGone(pid)) return true;
  }
  return isGone(pid);
}

/** A stubborn process: ignores SIGTERM and starts a child that would outlive it. */
function stubbornScript(): { script: string; pidFile: string } {
  const script = path.join(dir, 'stubborn.sh');
  const pidFile = path.join(dir, `child-${Date.now()}.pid`);
  writeFileSync(script, `trap '' TERM\nsleep 30 &\necho $! > "$1"\nwait\n`);
  return { script, pidFile };
}

async function waitForFile(file: string): Promise<string> {
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
  return readFileSync(file, 'utf8').trim();
}

describe('runProcess', () => {
  it('captures stdout and resolves with exit code 0', async () => {
    const result = await runProcess('sh', ['-c', 'printf hello; printf oops >&2'], {
      timeoutMs: 5000,
      stdout: 'capture',
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout?.toString()).toBe('hello');
    expect(result.stderrTail).toBe('oops');
  });

  it('streams stdout to a callback or a Writable', async () => {
    const chunks: Buffer[] = [];
    await runProcess('sh', ['-c', 'printf abc'], {
      timeoutMs: 5000,
      stdout: (c) => chunks.push(c),
    });
    expect(Buffer.concat(chunks).toString()).toBe('abc');
    const sink = new PassThrough();
    const got: Buffer[] = [];
    sink.on('data', (c: Buffer) => got.push(c));
    await runProcess('sh', ['-c', 'printf xyz'], { timeoutMs: 5000, stdout: sink });
    expect(Buffer.concat(got).toString()).toBe('xyz');
  });

  it('reports every stderr line and keeps only a bounded tail', async () => {
    const lines: string[] = [];
    const result = await runProcess(
      'sh',
      ['-c', 'i=0; while [ $i -lt 3000 ]; do echo "line $i" >&2; i=$((i+1)); done'],
      {
        timeoutMs: 10_000,
        onStderrLine: (l) => lines.push(l),
      },
    );
    expect(lines).toHaveLength(3000);
    expect(lines[2999]).toBe('line 2999');
    expect(result.stderrTail.length).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
    expect(result.stderrTail.endsWith('line 2999\n')).toBe(true);
  });

  it('rejects with ProcessFailedError carrying exit code and stderr tail', async () => {
    const error = await runProcess('sh', ['-c', 'echo "bad input" >&2; exit 3'], {
      timeoutMs: 5000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessFailedError);
    expect((error as ProcessFailedError).exitCode).toBe(3);
    expect((error as ProcessFailedError).stderrTail).toContain('bad input');
    expect((error as ProcessFailedError).message).toBe('sh exited with code 3: bad input');
  });

  it('explains a missing binary', async () => {
    await expect(runProcess('/nonexistent/ffmpeg', [], { timeoutMs: 5000 })).rejects.toThrow(
      new ProcessNotFoundError('/nonexistent/ffmpeg'),
    );
    await expect(runProcess('/nonexistent/ffmpeg', [], { timeoutMs: 5000 })).rejects.toThrow(
      'ffmpeg not found at /nonexistent/ffmpeg: install it (apt-get install ffmpeg)',
    );
    await expect(runProcess('hallo-no-such-ffmpeg', [], { timeoutMs: 5000 })).rejects.toThrow(
      /not found in PATH/,
    );
  });

  it('kills the whole process group on timeout, children included', async () => {
    const { script, pidFile } = stubbornScript();
    const started = Date.now();
    const run = runProcess('sh', [script, pidFile], { timeoutMs: 400 });
    const childPid = Number(await waitForFile(pidFile));
    await expect(run).rejects.toBeInstanceOf(ProcessTimeoutError);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await waitGone(childPid, 1000)).toBe(true);
  });

  it('kills the whole process group on abort', async () => {
    const { script, pidFile } = stubbornScript();
    const controller = new AbortController();
    const run = runProcess('sh', [script, pidFile], {
      timeoutMs: 30_000,
      signal: controller.signal,
    });
    const childPid = Number(await waitForFile(pidFile));
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(ProcessAbortedError);
    expect(await waitGone(childPid, 1000)).toBe(true);
  });

  it('does not start when already aborted', async () => {
    await expect(
      runProcess('sleep', ['5'], { timeoutMs: 5000, signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(ProcessAbortedError);
  });
});
