import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { watchEventLoop } from '../support/event-loop-watchdog';
import { readFileSync } from 'node:fs';

/** A multipart body written by hand: text parts in order, then optionally a file. */
function form(fields: Array<[string, string]>, file?: Buffer) {
  const boundary = 'hallo-attack';
  const parts = fields.map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const body = Buffer.concat([
    Buffer.from(parts.join('')),
    ...(file
      ? [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
          ),
          file,
          Buffer.from('\r\n'),
        ]
      : []),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('the upload form refuses field names it does not have, before parsing them', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
  });
  afterAll(() => hallo.stop());
  watchEventLoop();

  const post = async (fields: Array<[string, string]>, file?: Buffer) => {
    const { body, contentType } = form(fields, file);
    const response = await fetch(`${hallo.url}/api/submissions`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('answers the sparse-array-then-object body at once, and the service stays live', async () => {
    const started = Date.now();
    const health = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      return fetch(`${hallo.url}/healthz`).then((r) => r.status);
    })();
    const refused = await post([
      ['a[4294967294]', 'x'],
      ['a[b]', 'y'],
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('UNEXPECTED_FIELD');
    expect(await health).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each([
    [
      'an array index on a known name',
      [
        ['name[4294967294]', 'x'],
        ['name[b]', 'y'],
      ],
    ],
    ['nesting', [['name[a][b][c]', 'x']]],
    ['an empty bracket', [['name[]', 'x']]],
    ['an unknown flat name', [['evil', 'x']]],
    ['a prototype key', [['__proto__', 'x']]],
    ['a constructor key', [['constructor', 'x']]],
    [
      'a name repeated',
      [
        ['name', 'a'],
        ['name', 'b'],
      ],
    ],
    ['a very long name', [['n'.repeat(5000), 'x']]],
  ] as Array<[string, Array<[string, string]>]>)(
    'refuses %s as UNEXPECTED_FIELD',
    async (_case, fields) => {
      const refused = await post(fields);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('UNEXPECTED_FIELD');
      expect(refused.body.error.message).not.toMatch(/n{40}/);
    },
  );

  it('bounds the number and the size of fields', async () => {
    const many = Array.from({ length: 200 }, (_, i) => ['name', String(i)] as [string, string]);
    expect((await post(many)).status).toBe(400);
    const tooMany = (
      await post(
        ['name', 'email', 'message', 'consent', 'locale', 'topic', 'website', 'x'].map(
          (n) => [n, 'v'] as [string, string],
        ),
      )
    ).body.error.code;
    expect(['TOO_MANY_FIELDS', 'UNEXPECTED_FIELD']).toContain(tooMany);
    const long = await post([['message', 'x'.repeat(64 * 1024)]]);
    expect(long.status).toBe(413);
    expect(long.body.error.code).toBe('FIELD_TOO_LONG');
  });

  it('refuses a bad field that comes before the audio, and keeps nothing of the upload', async () => {
    const audio = readFileSync(fixture('speech.wav'));
    const refused = await post([...Object.entries(validFields), ['extra', 'x']], audio);
    expect(refused.body.error.code).toBe('UNEXPECTED_FIELD');
    expect(hallo.tempFiles()).toEqual([]);
    expect(await hallo.objectKeys()).toEqual([]);
  });

  it('still takes the real form', async () => {
    const audio = readFileSync(fixture('speech.wav'));
    const accepted = await post(Object.entries(validFields), audio);
    expect(accepted.status).toBe(201);
  });
});
