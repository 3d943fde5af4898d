import net from 'node:net';
import { watchEventLoop } from '../support/event-loop-watchdog';
import { startHallo, type Harness } from '../support/hallo-harness';

/** A connection that sends nothing; resolves `closed` when the server ends it. */
function silentSocket(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const opened = Date.now();
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => resolve(Date.now() - opened)),
  );
  socket.on('error', () => undefined);
  return { socket, closed };
}

describe('silent connections are closed, and there is a cap', () => {
  let hallo: Harness;
  let port: number;
  beforeAll(async () => {
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      env: { HTTP_IDLE_TIMEOUT_SECONDS: '2', HTTP_MAX_CONNECTIONS: '40' },
    });
    port = Number(new URL(hallo.url).port);
  });
  afterAll(() => hallo.stop());
  watchEventLoop();

  it('closes connections that never send a byte after the idle timeout', async () => {
    const sockets = Array.from({ length: 30 }, () => silentSocket(port));
    const lifetimes = await Promise.race([
      Promise.all(sockets.map((s) => s.closed)),
      new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 8000)),
    ]);
    sockets.forEach((s) => s.socket.destroy());
    expect(lifetimes).not.toBe('still open');
    for (const ms of lifetimes as number[]) expect(ms).toBeGreaterThanOrEqual(1500);
  });

  it('takes no more connections than the cap, and still answers once they are gone', async () => {
    const sockets = Array.from({ length: 60 }, () => silentSocket(port));
    const early = await Promise.all(
      sockets.map((s) =>
        Promise.race([
          s.closed.then(() => true),
          new Promise((r) => setTimeout(() => r(false), 1000)),
        ]),
      ),
    );
    // Those past the cap are closed at once; the rest wait for the idle timeout.
    expect(early.filter(Boolean).length).toBeGreaterThanOrEqual(20);
    await Promise.all(sockets.map((s) => s.closed));
    expect((await fetch(`${hallo.url}/healthz`)).status).toBe(200);
  });

  it('keeps a kept-alive connection longer than a fronting proxy would (65 s by default)', async () => {
    const response = await fetch(`${hallo.url}/healthz`);
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });
});
