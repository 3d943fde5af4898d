import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { Redis } from 'ioredis';

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Resident memory of a process and all its descendants (e.g. its ffmpeg children), in MB. */
export function treeRssMb(pid: number): number {
  let total = rssMb(pid) || 0; // a child between fork and exec has no VmRSS yet
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ') : []) {
      try {
        total += treeRssMb(Number(child));
      } catch {
        /* exited meanwhile */
      }
    }
  }
  return total;
}

/** Samples a process's RSS (`measure`: just it, or its whole tree) until stopped; returns the peak. */
export function watchPeakRss(
  pid: number,
  everyMs = 25,
  measure: (pid: number) => number = rssMb,
): { stop(): number } {
  let peak = measure(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, measure(pid));
    } catch {
      /* process gone */
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Starts a child and waits until `ready(line)` matches a line of its stdout. */
export function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (line: string) => boolean,
  timeoutMs = 20000,
): Promise<{ child: ChildProcess; readyLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(
      () => reject(new Error(`${command} ${args.join(' ')} did not start`)),
      timeoutMs,
    );
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const readyLine = lines.find(ready);
      if (readyLine !== undefined) {
        clearTimeout(timer);
        resolve({ child, readyLine });
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`${command} exited with ${code} before it was ready`)),
    );
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Both servers print their port in a JSON line: the baseline alone, hallo in its start-up log. */
export const portOf = (started: { readyLine: string }): number =>
  (JSON.parse(started.readyLine) as { port: number }).port;

/** Removes a bench's Redis keys (everything under `pattern`) and its work folder. */
export async function cleanUp(redisUrl: string, pattern: string, work: string): Promise<void> {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(pattern);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(work, { recursive: true, force: true });
}
