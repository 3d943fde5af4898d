import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { ListenerBrowser, ListenerPage, Viewport } from './listener-browser';
import { KEYS, WebDriverSession } from './webdriver-client';

/**
 * WebKitGTK (the engine behind Safari) through Debian's WebKitWebDriver and its MiniBrowser, on a
 * private Xvfb display. Mock capture devices stand in for a microphone. Each page is a new
 * WebDriver session, so a new, empty profile.
 */
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER =
  process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
/** WebKitGTK's windows are no narrower than this: phone widths cannot be tested in it. */
export const WEBKIT_MIN_WIDTH = 447;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An Xvfb on the first free display from a random start (test files run in parallel). */
async function startXvfb(): Promise<{ child: ChildProcess; display: string }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const n = 100 + Math.floor(Math.random() * 400);
    if (existsSync(`/tmp/.X${n}-lock`)) continue;
    const child = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    await sleep(500);
    if (child.exitCode === null) return { child, display: `:${n}` };
  }
  throw new Error('no free X display for Xvfb');
}

async function waitForDriver(base: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await fetch(`${base}/status`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`WebKitWebDriver did not answer at ${base}`);
}

export async function launchWebKit(): Promise<ListenerBrowser> {
  for (const file of [WEBKIT_DRIVER, MINIBROWSER])
    if (!existsSync(file))
      throw new Error(`no ${file}: bash scripts/setup.sh --tests installs webkit2gtk-driver`);
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], {
    // A German desktop, as the other engines are given (WebKit takes its languages from GLib).
    env: { ...process.env, DISPLAY: xvfb.display, LANGUAGE: 'de_DE:de' },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForDriver(base);
  let current: WebDriverSession | undefined;
  return {
    async open(viewport: Viewport): Promise<ListenerPage> {
      const session = await WebDriverSession.create(base, {
        'webkitgtk:browserOptions': {
          binary: MINIBROWSER,
          args: ['--automation', '--enable-mock-capture-devices=true'],
        },
      });
      current = session;
      await session.setWindowSize(Math.max(viewport.width, WEBKIT_MIN_WIDTH), viewport.height);
      const run = <R>(script: string, args: unknown[]) =>
        session
          .executeAsync<{ ok: R } | { error: string }>(
            `const done = arguments[arguments.length - 1];
             Promise.resolve().then(() => ${script})
               .then((ok) => done({ ok: ok === undefined ? null : ok }), (e) => done({ error: String(e) }));`,
            args,
          )
          .then((result) => {
            if ('error' in result) throw new Error(`in WebKit: ${result.error}`);
            return result.ok;
          });
      return {
        // WebDriver classic reports no console messages or page errors.
        problems: [],
        goto: (url) => session.navigate(url).then(() => undefined),
        reload: () => session.refresh().then(() => undefined),
        back: () => session.back().then(() => undefined),
        click: (selector) => session.click(selector),
        async fill(selector, value) {
          await session.clear(selector);
          await session.type(selector, value);
        },
        upload: (selector, file) => session.type(selector, file),
        press: (selector, key) => session.type(selector, KEYS[key]),
        run: (fn, arg) => run(`(${fn.toString()})(arguments[0])`, [arg]),
        runExpression: (expression) => run(`(${expression})`, []),
        async screenshot(file) {
          writeFileSync(file, Buffer.from(await session.screenshot(), 'base64'));
        },
        async close() {
          await session.delete().catch(() => undefined);
          current = undefined;
        },
      };
    },
    async close() {
      // The session first: killing the driver under it leaves MiniBrowser behind.
      await current?.delete().catch(() => undefined);
      driver.kill();
      xvfb.child.kill();
    },
  };
}
