import { spawn } from 'node:child_process';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';

/**
 * Runs a media tool on untrusted input: no shell, its own process group, a hard timeout that
 * SIGKILLs the whole group (children included), and a bounded stderr tail for diagnostics.
 */
export type StdoutMode = 'capture' | 'ignore' | Writable | ((chunk: Buffer) => void);

export interface RunProcessOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Default 'ignore'. A Writable is piped to but not ended: the caller owns it. */
  stdout?: StdoutMode;
  /** Called for every complete stderr line, for parsers that must see more than the tail. */
  onStderrLine?: (line: string) => void;
  /** Readers of further output pipes: the first is the process's fd 3 (ffmpeg's `pipe:3`), … */
  extraOutputs?: ReadonlyArray<(chunk: Buffer) => void>;
  /**
   * Piped to the process's stdin (default: none). If the process exits before reading all of it,
   * the rest is not written (no EPIPE surfaces) and the stream is unpiped.
   */
  stdin?: Readable;
}

export interface RunProcessResult {
  exitCode: number;
  stderrTail: string;
  /** Only with stdout: 'capture'. */
  stdout?: Buffer;
}

export const STDERR_TAIL_BYTES = 16 * 1024;
/** After SIGKILL the exit event normally follows at once; do not wait forever if it does not. */
const EXIT_GRACE_MS = 2000;

export class ProcessTimeoutError extends Error {
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
    readonly stderrTail: string,
  ) {
    super(`${path.basename(command)} timed out after ${timeoutMs} ms and was killed`);
    this.name = 'ProcessTimeoutError';
  }
}

export class ProcessAbortedError extends Error {
  constructor(
    readonly command: string,
    readonly stderrTail: string,
  ) {
    super(`${path.basename(command)} was aborted and killed`);
    this.name = 'ProcessAbortedError';
  }
}

export class ProcessFailedError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly exitSignal: NodeJS.Signals | null,
    readonly stderrTail: string,
  ) {
    const how =
      exitCode === null
        ? `was killed by ${exitSignal ?? 'a signal'}`
        : `exited with code ${exitCode}`;
    const lastLine = stderrTail.trim().split('\n').pop() ?? '';
    super(`${path.basename(command)} ${how}${lastLine ? `: ${lastLine}` : ''}`);
    this.name = 'ProcessFailedError';
  }
}

export class ProcessNotFoundError extends Error {
  constructor(readonly command: string) {
    const name = path.basename(command);
    const where = command.includes('/') ? `at ${command}` : 'in PATH';
    super(
      `${name} not found ${where}: install it (apt-get install ${name === 'ffprobe' ? 'ffmpeg' : name})`,
    );
    this.name = 'ProcessNotFoundError';
  }
}

/** Keeps the last `limit` bytes of a stream without holding all of it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > 2 * this.limit) this.compact();
  }
  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const kept = all.subarray(Math.max(0, all.length - this.limit));
    this.chunks = [kept];
    this.size = kept.length;
  }
  toString(): string {
    this.compact();
    return this.chunks[0]?.toString('utf8') ?? '';
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<RunProcessResult> {
  const { timeoutMs, signal, stdout = 'ignore', onStderrLine, stdin, extraOutputs = [] } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ProcessAbortedError(command, ''));
    const child = spawn(command, args, {
      detached: true, // own process group, so a timeout can kill ffmpeg and anything it started
      stdio: [
        stdin ? 'pipe' : 'ignore',
        stdout === 'ignore' ? 'ignore' : 'pipe',
        'pipe',
        ...extraOutputs.map(() => 'pipe' as const),
      ],
      windowsHide: true,
    });
    if (stdin && child.stdin) {
      // EPIPE/ECONNRESET once the process has stopped reading: its exit code tells the story.
      child.stdin.on('error', () => undefined);
      stdin.pipe(child.stdin);
    }
    const tail = new TailBuffer(STDERR_TAIL_BYTES);
    const captured: Buffer[] = [];
    const decoder = new StringDecoder('utf8'); // a chunk may end inside a UTF-8 character
    let partialLine = '';
    let settled = false;
    let failure: Error | undefined;

    const finish = (error: Error | undefined, result?: RunProcessResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else if (result) resolve(result);
    };
    // Kill first, then settle once the leader has really exited (or after a grace period).
    const killAndFail = (error: Error): void => {
      if (failure) return;
      failure = error;
      killGroup(child.pid);
      setTimeout(() => finish(error), EXIT_GRACE_MS).unref();
    };
    const onAbort = (): void => killAndFail(new ProcessAbortedError(command, tail.toString()));
    const timer = setTimeout(
      () => killAndFail(new ProcessTimeoutError(command, timeoutMs, tail.toString())),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr?.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      if (!onStderrLine) return;
      const lines = (partialLine + decoder.write(chunk)).split(/\r?\n|\r/);
      partialLine = lines.pop() ?? '';
      for (const line of lines) onStderrLine(line);
    });
    if (child.stdout) {
      if (stdout === 'capture') child.stdout.on('data', (c: Buffer) => captured.push(c));
      else if (typeof stdout === 'function') {
        child.stdout.on('data', (c: Buffer) => {
          try {
            stdout(c);
          } catch (e) {
            killAndFail(e instanceof Error ? e : new Error(String(e)));
          }
        });
      } else if (stdout !== 'ignore') child.stdout.pipe(stdout, { end: false });
    }

    extraOutputs.forEach((reader, i) => {
      (child.stdio[3 + i] as Readable | null)?.on('data', (c: Buffer) => {
        try {
          reader(c);
        } catch (e) {
          killAndFail(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });

    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(e.code === 'ENOENT' ? new ProcessNotFoundError(command) : e);
    });
    child.on('close', (code, exitSignal) => {
      if (stdin && child.stdin) stdin.unpipe(child.stdin);
      if (partialLine && onStderrLine) onStderrLine(partialLine);
      if (failure) return finish(failure);
      const stderrTail = tail.toString();
      if (code !== 0) return finish(new ProcessFailedError(command, code, exitSignal, stderrTail));
      finish(undefined, {
        exitCode: 0,
        stderrTail,
        ...(stdout === 'capture' ? { stdout: Buffer.concat(captured) } : {}),
      });
    });
  });
}
