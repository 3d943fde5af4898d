import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const OWNER = { email: 'owner@example.org', password: 'Kx9-vQm2-Lp7w-Zr4t-hallo' };

export interface GhostServer {
  url: string;
  /** A custom integration's Admin API key, made through Ghost's own API, as an owner would. */
  adminApiKey: string;
  contentDir: string;
  /** Ghost's Admin API as the signed-in owner (session cookie), to check what hallo made. */
  admin(pathname: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/**
 * A real Ghost (the npm registry's `ghost` package, installed by scripts/ghost-install.sh) on
 * loopback with its own SQLite file: set up with an owner, signed in, with one integration.
 */
export async function startGhost(): Promise<GhostServer> {
  try {
    return await startGhostOnce();
  } catch (error) {
    // Seen in about one run in three with two Ghosts booting beside a busy test run: the owner's
    // fresh session refused (403) even after signing in again. A fresh Ghost has not shown it.
    if (!/integration: 403/.test((error as Error).message)) throw error;
    return startGhostOnce();
  }
}

async function startGhostOnce(): Promise<GhostServer> {
  const dir = execFileSync('bash', [path.join(ROOT, 'scripts', 'ghost-install.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const nodeBin = readFileSync(path.join(dir, '.node-bin'), 'utf8').trim();
  const work = mkdtempSync(path.join(os.tmpdir(), 'hallo-ghost-'));
  const contentDir = path.join(work, 'content');
  cpSync(path.join(dir, 'content'), contentDir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(nodeBin, 'node'), ['index.js'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: `${nodeBin}:${process.env.PATH}`,
      HOME: work,
      NODE_ENV: 'production',
      url,
      server__host: '127.0.0.1',
      server__port: String(port),
      database__client: 'better-sqlite3',
      database__connection__filename: path.join(work, 'ghost.db'),
      paths__contentPath: contentDir,
      logging__transports: '["stdout"]',
      logging__level: 'warn',
      security__staffDeviceVerification: 'false',
      mail__transport: 'SMTP',
      mail__options__host: '127.0.0.1',
      mail__options__port: '9',
      privacy__useUpdateCheck: 'false',
      privacy__useGravatar: 'false',
    },
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, child, output);
    await setUp(url);
    let cookie = await signIn(url);
    // Seen once with two Ghosts booting beside a busy test run: a fresh session refused with 403.
    // The owner signs in again then, as a person would.
    const admin = async (
      pathname: string,
      init: RequestInit = {},
      again = true,
    ): Promise<Response> => {
      const response = await fetch(`${url}/ghost/api/admin${pathname}`, {
        ...init,
        headers: {
          origin: url,
          cookie,
          'content-type': 'application/json',
          ...(init.headers as Record<string, string>),
        },
      });
      if (response.status !== 403 || !again) return response;
      await new Promise((resolve) => setTimeout(resolve, 500));
      cookie = await signIn(url);
      return admin(pathname, init, false);
    };
    const made = await admin('/integrations/?include=api_keys', {
      method: 'POST',
      body: JSON.stringify({ integrations: [{ name: 'hallo' }] }),
    });
    if (made.status !== 201)
      throw new Error(
        `integration: ${made.status} ${await made.text()} (cookie: ${cookie.replace(/=.*/, '=…') || 'none'})`,
      );
    const integration = ((await made.json()) as any).integrations[0];
    const key = integration.api_keys.find((k: { type: string }) => k.type === 'admin');
    return {
      url,
      adminApiKey: key.secret.includes(':') ? key.secret : `${key.id}:${key.secret}`,
      contentDir,
      admin,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(
      `Ghost did not start: ${(error as Error).message}\n${output.join('').slice(-3000)}`,
    );
  }
}

async function waitUntilUp(url: string, child: ChildProcess, output: string[]) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`exited with ${child.exitCode}: ${output.join('').slice(-2000)}`);
    const answer = await fetch(`${url}/ghost/api/admin/site/`).catch(() => undefined);
    if (answer?.status === 200) return;
    if (Date.now() > deadline) throw new Error('not up after 120 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const post = (url: string, pathname: string, body: unknown) =>
  fetch(`${url}/ghost/api/admin${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify(body),
  });

/** The first-run setup: the owner and the site's title. */
async function setUp(url: string): Promise<void> {
  const setup = await post(url, '/authentication/setup/', {
    setup: [
      {
        name: 'Olga Owner',
        email: OWNER.email,
        password: OWNER.password,
        blogTitle: 'Hallo Newsletter',
      },
    ],
  });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
}

/** The owner's session cookie. */
async function signIn(url: string): Promise<string> {
  const session = await post(url, '/session/', { username: OWNER.email, password: OWNER.password });
  if (session.status !== 201) throw new Error(`session: ${session.status} ${await session.text()}`);
  return session.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
