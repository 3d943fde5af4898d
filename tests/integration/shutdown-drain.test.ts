import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { closeServer } from '../../src/http/server';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { multipartFrame } from '../support/multipart-frame';
import { pollUntil } from '../support/poll';

jest.setTimeout(30_000);

function answer(req: ClientRequest): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ res, body }));
    });
    req.on('error', reject);
  });
}

/** A multipart upload whose file part is held back until `finish` is called. */
function heldUpload(url: string, agent: Agent) {
  const audio = readFileSync(fixture('speech-16k.wav'));
  const { head, tail, contentType } = multipartFrame(validFields, {
    filename: 'a.wav',
    type: 'audio/wav',
  });
  const req = request(`${url}/api/submissions`, {
    method: 'POST',
    agent,
    headers: {
      'content-type': contentType,
      'content-length': head.length + audio.length + tail.length,
    },
  });
  const answered = answer(req);
  const socket = new Promise<Socket>((resolve) => req.once('socket', resolve));
  req.write(Buffer.concat([head, audio.subarray(0, 4096)]));
  return {
    answered,
    socket,
    finish: () => req.end(Buffer.concat([audio.subarray(4096), tail])),
  };
}

describe('shutdown: draining keep-alive connections', () => {
  let hallo: Harness;
  afterEach(() => hallo?.stop());

  it('answers an upload in flight, closes its connection after it, and takes no new one', async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // One kept-alive connection, as a proxy in front of the API holds it.
      const probe = request(`${hallo.url}/readyz`, { agent });
      const warmSocket = new Promise<Socket>((resolve) => probe.once('socket', resolve));
      const warm = await answer(probe.end());
      expect(warm.res.statusCode).toBe(200);
      expect(warm.res.headers.connection).toBe('keep-alive');

      const upload = heldUpload(hallo.url, agent);
      const socket = await upload.socket;
      expect(socket).toBe(await warmSocket);
      const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await pollUntil(
        async () => hallo.tempFiles().length,
        (n) => n > 0,
        'the upload reaching the server',
      );

      const closing = closeServer(hallo.server, 10_000, hallo.drain);
      const late = await fetch(`${hallo.url}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect(late).toBe('refused');

      upload.finish();
      const sent = await upload.answered;
      expect(sent.res.statusCode).toBe(201);
      expect(JSON.parse(sent.body).id).toEqual(expect.any(String));
      // Without this the proxy would reuse the connection for the next listener's upload.
      expect(sent.res.headers.connection).toBe('close');
      await socketClosed;
      await closing;
      expect(hallo.server.listening).toBe(false);
    } finally {
      agent.destroy();
    }
  });

  it('says "shutting down" on /readyz to a request that reaches a draining API', async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
    expect((await fetch(`${hallo.url}/readyz`)).status).toBe(200);
    hallo.drain.start();
    const ready = await fetch(`${hallo.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('connection')).toBe('close');
    expect(await ready.json()).toEqual({ status: 'shutting down' });
    // Liveness is unchanged: the process is still alive and finishing its work.
    expect((await fetch(`${hallo.url}/healthz`)).status).toBe(200);
  });
});
