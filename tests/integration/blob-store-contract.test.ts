import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobNotFoundError, type BlobStore } from '../../src/storage/blob-store';
import { attachmentDisposition } from '../../src/storage/content-disposition';
import { DiskBlobStore } from '../../src/storage/disk-blob-store';
import { S3BlobStore } from '../../src/storage/s3-blob-store';
import {
  S3_IMPLEMENTATIONS,
  S3_QUIRKS,
  s3ConfigFor,
  startS3Server,
  type S3Implementation,
  type S3Quirks,
  type S3Server,
} from '../support/s3-server';

// Bigger than lib-storage's 5 MiB part size, so the S3 driver goes multipart.
const BIG_SIZE = 12 * 1024 * 1024;
const PART_SIZE = 5 * 1024 * 1024;
const BUCKETS = { contract: `contract-${randomUUID()}`, extra: `extra-${randomUUID()}` };

let scratch: string;
// Both S3-compatible implementations, so the contract holds on more than one server's reading of S3.
const servers = {} as Record<S3Implementation, S3Server>;
let big: { path: string; bytes: Buffer };

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'hallo-blob-contract-'));
  big = { path: path.join(scratch, 'big.bin'), bytes: randomBytes(BIG_SIZE) };
  await writeFile(big.path, big.bytes);
  await Promise.all(
    S3_IMPLEMENTATIONS.map(async (implementation) => {
      servers[implementation] = await startS3Server(Object.values(BUCKETS), { implementation });
    }),
  );
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listAll(store: BlobStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const key of store.list(prefix)) out.push(key);
  return out;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Harness<S extends BlobStore = BlobStore> {
  store: S;
  /** The S3 test server's known departures from AWS S3 (none for disk). */
  quirks?: S3Quirks;
  /** What head() reports for an object written with content type `audio/wav`. */
  expectedContentType: string | undefined;
  close(): Promise<void>;
}

async function makeDisk(): Promise<Harness<DiskBlobStore>> {
  const store = new DiskBlobStore(await mkdtemp(path.join(scratch, 'disk-')));
  return {
    store,
    expectedContentType: undefined,
    close: () => rm(store.root, { recursive: true, force: true }),
  };
}

function makeS3(implementation: S3Implementation, bucket = BUCKETS.contract): Harness<S3BlobStore> {
  // pageSize 2 makes every list/deletePrefix below go through pagination.
  const config = s3ConfigFor(servers[implementation], bucket);
  const store = new S3BlobStore({ ...config, pageSize: 2 });
  const quirks = S3_QUIRKS[implementation];
  return { store, quirks, expectedContentType: 'audio/wav', close: async () => store.destroy() };
}

const factories: Array<[string, () => Promise<Harness>]> = [
  ['disk', makeDisk],
  ...S3_IMPLEMENTATIONS.map((impl): [string, () => Promise<Harness>] => [
    `s3 (${impl})`,
    async () => makeS3(impl),
  ]),
];

describe.each(factories)('BlobStore contract: %s', (_name, make) => {
  let h: Harness;
  let store: BlobStore;
  // Every test writes under its own namespace, so tests cannot see each other's keys.
  let ns: string;

  beforeAll(async () => {
    h = await make();
    store = h.store;
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    ns = `t-${randomUUID()}`;
  });
  // Keys beside a folder of the same stem (`b.txt` and `b/`, `A-1/` and `A/`) are left out where
  // the server lists such keys out of order (see S3Quirks).
  const supported = (key: string): boolean =>
    !(h.quirks?.listsFoldersOutOfKeyOrder && /\/b\.txt$|\/A-1\//.test(key));

  it('round-trips bytes and strings', async () => {
    await store.putBytes(`${ns}/a.bin`, Buffer.from([0, 1, 2, 255]), 'application/octet-stream');
    await store.putBytes(`${ns}/b.json`, '{"hello":"wörld"}', 'application/json');
    expect(await store.getBytes(`${ns}/a.bin`)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect((await store.getBytes(`${ns}/b.json`))?.toString('utf8')).toBe('{"hello":"wörld"}');
  });

  it('answers undefined for a missing key from getBytes and head', async () => {
    expect(await store.getBytes(`${ns}/missing`)).toBeUndefined();
    expect(await store.head(`${ns}/missing`)).toBeUndefined();
  });

  it('rejects getStream of a missing key with BlobNotFoundError', async () => {
    await expect(store.getStream(`${ns}/missing`)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.getStream(`${ns}/missing`, { start: 0, end: 1 })).rejects.toBeInstanceOf(
      BlobNotFoundError,
    );
  });

  it('round-trips a file bigger than one multipart part byte for byte', async () => {
    await store.putFile(`${ns}/big.wav`, big.path, 'audio/wav');
    expect(sha256(await readAll(await store.getStream(`${ns}/big.wav`)))).toBe(sha256(big.bytes));
    expect(await store.head(`${ns}/big.wav`)).toEqual({
      size: BIG_SIZE,
      contentType: h.expectedContentType,
    });
  });

  it('moveFile stores the file and takes it over; a failed move leaves the file', async () => {
    const own = path.join(scratch, `move-${randomUUID()}.bin`);
    await writeFile(own, big.bytes);
    await store.moveFile(`${ns}/moved.wav`, own, 'audio/wav');
    expect(existsSync(own)).toBe(false);
    expect(sha256(await readAll(await store.getStream(`${ns}/moved.wav`)))).toBe(sha256(big.bytes));
    await expect(
      store.moveFile(`${ns}/nowhere.wav`, path.join(scratch, 'missing.bin'), 'audio/wav'),
    ).rejects.toThrow();
    expect(await store.head(`${ns}/nowhere.wav`)).toBeUndefined();
  });

  it('streams exactly the requested inclusive byte range', async () => {
    const key = `${ns}/big.wav`;
    await store.putFile(key, big.path, 'audio/wav');
    const ranges = [
      { start: 0, end: 0 },
      { start: 0, end: 1 }, // what Safari asks first
      { start: PART_SIZE - 7, end: PART_SIZE + 8 }, // across the first part boundary
      { start: BIG_SIZE - 5, end: BIG_SIZE + 100 }, // an end past the object is clamped, as in HTTP
    ].filter((r) => !(h.quirks?.wholeObjectForFirstByteRange && r.end === 0));
    for (const range of ranges) {
      const got = await readAll(await store.getStream(key, range));
      // Compared by hash: a diff of megabytes of bytes takes jest minutes to print.
      const want = big.bytes.subarray(range.start, Math.min(range.end, BIG_SIZE - 1) + 1);
      expect({ length: got.length, sha256: sha256(got) }).toEqual({
        length: want.length,
        sha256: sha256(want),
      });
    }
    await expect(store.getStream(key, { start: 5, end: 4 })).rejects.toThrow(RangeError);
  });

  it('replaces content on overwrite', async () => {
    await store.putBytes(`${ns}/doc.json`, 'first version', 'application/json');
    await store.putBytes(`${ns}/doc.json`, 'second', 'application/json');
    expect((await store.getBytes(`${ns}/doc.json`))?.toString()).toBe('second');
    expect((await store.head(`${ns}/doc.json`))?.size).toBe(6);
  });

  it('deletes idempotently', async () => {
    await store.putBytes(`${ns}/gone.txt`, 'x', 'text/plain');
    await store.delete(`${ns}/gone.txt`);
    expect(await store.getBytes(`${ns}/gone.txt`)).toBeUndefined();
    await expect(store.delete(`${ns}/gone.txt`)).resolves.toBeUndefined();
    await expect(store.delete(`${ns}/never-was.txt`)).resolves.toBeUndefined();
  });

  it('lists exactly the keys under a prefix, in lexicographic order', async () => {
    const inside = [
      `${ns}/submissions/A/b/c.txt`,
      `${ns}/submissions/A/a.json`,
      `${ns}/submissions/A/b.txt`,
    ];
    const neighbours = [
      `${ns}/submissions/AB/x.txt`,
      `${ns}/submissions/A-1/y.txt`,
      `${ns}/other.txt`,
    ];
    const stored = [...inside, ...neighbours].filter(supported);
    for (const key of stored) await store.putBytes(key, key, 'text/plain');
    // `b.txt` sorts before `b/c.txt` ('.' < '/'), which a directory-by-directory walk gets wrong.
    expect(await listAll(store, `${ns}/submissions/A/`)).toEqual(
      [
        `${ns}/submissions/A/a.json`,
        `${ns}/submissions/A/b.txt`,
        `${ns}/submissions/A/b/c.txt`,
      ].filter(supported),
    );
    // A prefix is a string prefix, not a directory.
    expect(await listAll(store, `${ns}/submissions/A`)).toEqual(
      [
        `${ns}/submissions/A-1/y.txt`,
        `${ns}/submissions/A/a.json`,
        `${ns}/submissions/A/b.txt`,
        `${ns}/submissions/A/b/c.txt`,
        `${ns}/submissions/AB/x.txt`,
      ].filter(supported),
    );
    expect(await listAll(store, `${ns}/nothing-here/`)).toEqual([]);
  });

  it('deletes a prefix, returns the count and spares the neighbours', async () => {
    const inside = [
      `${ns}/submissions/A/a.json`,
      `${ns}/submissions/A/b.txt`,
      `${ns}/submissions/A/b/c.txt`,
    ];
    const stored = [...inside, `${ns}/submissions/AB/x.txt`].filter(supported);
    for (const key of stored) await store.putBytes(key, 'x', 'text/plain');
    expect(await store.deletePrefix(`${ns}/submissions/A/`)).toBe(stored.length - 1);
    expect(await listAll(store, `${ns}/submissions/A/`)).toEqual([]);
    for (const key of inside) expect(await store.getBytes(key)).toBeUndefined();
    expect(await listAll(store, `${ns}/`)).toEqual([`${ns}/submissions/AB/x.txt`]);
    expect(await store.deletePrefix(`${ns}/submissions/A/`)).toBe(0);
  });

  it('passes check() and leaves no probe object behind', async () => {
    await expect(store.check()).resolves.toBeUndefined();
    expect(await listAll(store, '.health/')).toEqual([]);
  });

  it('keeps the previous object when putFile fails, and creates none for a new key', async () => {
    await store.putBytes(`${ns}/kept.txt`, 'original', 'text/plain');
    // A directory opens fine but fails on the first read (EISDIR): an error mid-stream.
    for (const source of [path.join(scratch, 'does-not-exist.wav'), scratch]) {
      await expect(store.putFile(`${ns}/kept.txt`, source, 'audio/wav')).rejects.toThrow();
      await expect(store.putFile(`${ns}/new.txt`, source, 'audio/wav')).rejects.toThrow();
    }
    expect((await store.getBytes(`${ns}/kept.txt`))?.toString()).toBe('original');
    expect(await listAll(store, `${ns}/`)).toEqual([`${ns}/kept.txt`]);
  });
});

describe('DiskBlobStore specifics', () => {
  let h: Awaited<ReturnType<typeof makeDisk>>;
  const tempEntries = (): Promise<string[]> => readdir(h.store.tempDir);

  beforeAll(async () => {
    h = await makeDisk();
  });
  afterAll(async () => h?.close());

  it('leaves .tmp empty after successful and failed writes', async () => {
    await h.store.putBytes('a/b.txt', 'x', 'text/plain');
    await h.store.putFile('a/big.wav', big.path, 'audio/wav');
    expect(await tempEntries()).toEqual([]);
    await expect(
      h.store.putFile('a/c.wav', path.join(scratch, 'missing.wav'), 'audio/wav'),
    ).rejects.toThrow();
    await expect(h.store.putFile('a/c.wav', scratch, 'audio/wav')).rejects.toThrow(/EISDIR/);
    expect(await tempEntries()).toEqual([]);
  });

  it('moveFile renames on the same filesystem and copies across to another one', async () => {
    const here = path.join(h.store.tempDir, '..', 'upload-here.bin');
    await writeFile(here, 'same filesystem');
    const { ino } = await stat(here);
    await h.store.moveFile('m/here.bin', here, 'audio/wav');
    expect((await stat(path.join(h.store.root, 'm/here.bin'))).ino).toBe(ino); // not a copy

    // /dev/shm is a tmpfs: another filesystem than the store's, where rename says EXDEV.
    const elsewhere = await mkdtemp('/dev/shm/hallo-move-');
    const away = path.join(elsewhere, 'upload.bin');
    await writeFile(away, 'another filesystem');
    const crossing = (await stat(elsewhere)).dev !== (await stat(h.store.root)).dev;
    await h.store.moveFile('m/away.bin', away, 'audio/wav');
    expect(existsSync(away)).toBe(false);
    expect((await h.store.getBytes('m/away.bin'))?.toString()).toBe('another filesystem');
    expect(crossing).toBe(true); // else this test did not test the copy
    expect(await tempEntries()).toEqual([]);
    await rm(elsewhere, { recursive: true, force: true });
  });

  it.each(['../x', '/abs', 'a/../../x', 'a//b', 'a/', '', 'a\\b', './a', '.tmp/x', 'a/\0b'])(
    'refuses the key %j',
    async (key) => {
      await expect(h.store.putBytes(key, 'x', 'text/plain')).rejects.toThrow(
        /Refusing storage key/,
      );
      await expect(h.store.getBytes(key)).rejects.toThrow(/Refusing storage key/);
    },
  );

  it('refuses a list prefix that climbs out of the root', async () => {
    await expect(listAll(h.store, '../')).rejects.toThrow(/Refusing storage key/);
  });

  it('does not list temp files', async () => {
    await writeFile(path.join(h.store.tempDir, 'stray.part'), 'x');
    try {
      const keys = await listAll(h.store, '');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((k) => k.startsWith('.tmp'))).toEqual([]);
    } finally {
      await rm(path.join(h.store.tempDir, 'stray.part'));
    }
  });

  it('removes the emptied directories after deletePrefix but keeps populated ones', async () => {
    await h.store.putBytes('p/submissions/A/deep/one.txt', '1', 'text/plain');
    await h.store.putBytes('p/submissions/AB/two.txt', '2', 'text/plain');
    await mkdir(path.join(h.store.root, 'p', 'keep-me'));
    expect(await h.store.deletePrefix('p/submissions/A/')).toBe(1);
    expect(existsSync(path.join(h.store.root, 'p', 'submissions', 'A'))).toBe(false);
    expect(existsSync(path.join(h.store.root, 'p', 'submissions', 'AB', 'two.txt'))).toBe(true);
    expect(existsSync(path.join(h.store.root, 'p', 'keep-me'))).toBe(true);
  });

  it('serves bytes itself: no download link', async () => {
    expect(
      await h.store.downloadLink('a/b.txt', { filename: 'b.txt', contentType: 'text/plain' }),
    ).toBeUndefined();
  });
});

/** Records every command the S3 client sends; `answer` may reply to one instead of the server. */
function watchSend(answer?: (command: unknown) => Promise<unknown> | undefined) {
  const sent: string[] = [];
  const original = S3Client.prototype.send as (...args: unknown[]) => Promise<unknown>;
  const spy = jest.spyOn(S3Client.prototype, 'send').mockImplementation(function (
    this: S3Client,
    ...args
  ) {
    sent.push((args[0] as object).constructor.name);
    return answer?.(args[0]) ?? original.apply(this, args);
  });
  return { sent, restore: () => spy.mockRestore() };
}

describe.each(S3_IMPLEMENTATIONS)('S3BlobStore specifics (%s)', (implementation) => {
  let h: ReturnType<typeof makeS3>;

  beforeAll(() => {
    h = makeS3(implementation, BUCKETS.extra);
  });
  afterAll(async () => h?.close());

  it('presigns a GET that a plain fetch can follow', async () => {
    const body = Buffer.from('RIFF fake wav bytes');
    await h.store.putBytes('dl/clip.wav', body, 'audio/wav');
    const filename = 'Grüße von Émilie.wav';
    const url = await h.store.downloadLink('dl/clip.wav', { filename, contentType: 'audio/x-wav' });
    const params = new URL(url).searchParams;
    expect(params.get('response-content-disposition')).toBe(attachmentDisposition(filename));
    expect(params.get('response-content-type')).toBe('audio/x-wav');
    expect(params.get('X-Amz-Expires')).toBe('300');
    expect(params.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
    // Real S3 answers with the overrides the link was signed for (fauxqs ignores them).
    if (!h.quirks?.ignoresResponseOverrides) {
      expect(response.headers.get('content-disposition')).toBe(attachmentDisposition(filename));
      expect(response.headers.get('content-type')).toBe('audio/x-wav');
    }
  });

  it('aborts the multipart upload and leaves no object when the source fails mid-upload', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield randomBytes(PART_SIZE + 1024); // one full part, so lib-storage goes multipart
      throw new Error('source broke');
    }
    const watch = watchSend();
    // Where the abort itself is refused, lib-storage reports that instead of the source's error.
    const reported = h.quirks?.cannotAbortMultipart ? /method is not allowed/ : 'source broke';
    try {
      await expect(
        h.store.putStream('broken/new.wav', Readable.from(failing()), 'audio/wav'),
      ).rejects.toThrow(reported);
    } finally {
      watch.restore();
    }
    expect(watch.sent).toContain('CreateMultipartUploadCommand');
    expect(watch.sent).toContain('AbortMultipartUploadCommand');
    expect(watch.sent).not.toContain('CompleteMultipartUploadCommand');
    expect(await h.store.head('broken/new.wav')).toBeUndefined();
    expect(await listAll(h.store, 'broken/')).toEqual([]);
  });

  it('falls back to single deletes when the server lacks DeleteObjects', async () => {
    for (const k of ['fb/1', 'fb/2', 'fb/3']) await h.store.putBytes(k, k, 'text/plain');
    const unsupported = Object.assign(new Error('not here'), {
      name: 'NotImplemented',
      $metadata: { httpStatusCode: 501 },
    });
    const watch = watchSend((command) =>
      command instanceof DeleteObjectsCommand ? Promise.reject(unsupported) : undefined,
    );
    try {
      expect(await h.store.deletePrefix('fb/')).toBe(3);
    } finally {
      watch.restore();
    }
    expect(watch.sent.filter((c) => c === 'DeleteObjectCommand')).toHaveLength(3);
    expect(await listAll(h.store, 'fb/')).toEqual([]);
  });

  it('fails check() for a bucket that does not exist', async () => {
    const missing = new S3BlobStore(
      s3ConfigFor(servers[implementation], `missing-${randomUUID()}`),
    );
    try {
      await expect(missing.check()).rejects.toThrow();
    } finally {
      missing.destroy();
    }
  });
});
