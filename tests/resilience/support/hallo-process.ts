import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const MAIN = path.join(ROOT, 'src', 'main.ts');

export interface HalloProcess {
  role: 'api' | 'worker';
  child: ChildProcess;
  /** Every JSON log line it printed so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  signal(name: NodeJS.Signals): void;
}

const READY = { api: 'hallo is listening', worker: 'workers started' } as const;

/** How to start hallo: from the sources (the default) or from a built tree, maybe as another user. */
export interface HalloLaunch {
  /** The command before the role, e.g. `['dist/main.js']` with `cwd` set to a built tree. */
  args?: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Replaces the inherited environment instead of adding to it. */
  cleanEnv?: boolean;
  timeoutMs?: number;
}

/** A real hallo process (`hallo api` or `hallo worker`), ready when it logs so. */
export function startHalloProcess(
  role: 'api' | 'worker',
  env: Record<string, string>,
  launch: HalloLaunch = {},
): Promise<HalloProcess> {
  const timeoutMs = launch.timeoutMs ?? 30_000;
  // One process (tsx as a loader, not its CLI wrapper), so a signal reaches hallo itself.
  const args = launch.args ?? ['--import', 'tsx', MAIN];
  const child = spawn(process.execPath, [...args, role], {
    env: { ...(launch.cleanEnv ? {} : process.env), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
    cwd: launch.cwd,
    uid: launch.uid,
    gid: launch.gid,
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hallo ${role} did not start:\n${stderr}`));
    }, timeoutMs);
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === READY[role]) {
            clearTimeout(timer);
            resolve({ role, child, logs, exited, signal: (name) => child.kill(name) });
          }
        } catch {
          /* not a log line */
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hallo ${role} exited with ${code} before it was ready:\n${stderr}`));
    });
  });
}

/** SIGKILL, and wait until it is gone. */
export async function killHard(process: HalloProcess): Promise<void> {
  if (process.child.exitCode === null && process.child.signalCode === null) {
    process.signal('SIGKILL');
  }
  await process.exited;
}
