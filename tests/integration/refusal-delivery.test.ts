import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loopedFixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { sendThenRead } from '../support/late-reader';
import { multipartFrame } from '../support/multipart-frame';

/** The request line and headers of a form upload declaring `length` bytes. */
const requestHead = (contentType: string, length: number) =>
  `POST /api/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\n` +
  `Content-Length: ${length}\r\n\r\n`;

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
const codeOf = (answer: string) => /"code":"([A-Z_]+)"/.exec(answer)?.[1];

// A refusal sent while the client is still sending must reach it: a client that reads its
// socket only after sending lost the answer to a reset when the server closed on unread bytes.
describe('a refusal reaches a client that is still sending', () => {
  let hallo: Harness;
  let scratch: string;
  let twentyMinutes: Buffer;
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'hallo-refusal-'));
    twentyMinutes = readFileSync(
      loopedFixture('long-60s.webm', 20, path.join(scratch, 'twenty-minutes.webm')),
    );
    hallo = await startHallo({ driver: 'disk', worker: false });
  });
  afterAll(async () => {
    await hallo?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(() => expect(hallo.tempFiles()).toEqual([]));

  it('gets AUDIO_TOO_LONG for a long recording refused while it arrives', async () => {
    const { head, tail, contentType } = multipartFrame(validFields, {
      filename: 'long.webm',
      type: 'audio/webm',
    });
    const body = Buffer.concat([head, twentyMinutes, tail]);
    const reading = await sendThenRead(hallo.url, requestHead(contentType, body.length), body);
    expect([statusOf(reading.answer), codeOf(reading.answer), reading.error]).toEqual([
      422,
      'AUDIO_TOO_LONG',
      undefined,
    ]);
  });

  it('gets FILE_TOO_LARGE for a body declared too large, sent anyway', async () => {
    const { contentType } = multipartFrame(validFields, { filename: 'a.webm', type: 'audio/webm' });
    const declared = hallo.services.config.MAX_UPLOAD_BYTES * 2;
    const reading = await sendThenRead(
      hallo.url,
      requestHead(contentType, declared),
      Buffer.alloc(2 << 20),
    );
    expect([statusOf(reading.answer), codeOf(reading.answer), reading.error]).toEqual([
      413,
      'FILE_TOO_LARGE',
      undefined,
    ]);
  });
});
