import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProcessTimeoutError } from '../../src/audio/run-process';
import { runDoctor } from '../../src/submissions/doctor';
import { runEngine } from '../../src/transcripts/run-engine';
import type { TranscriptDocument } from '../../src/transcripts/transcript';
import { engineStandIn } from '../support/engine-stand-in';
import { writeGgmlModel } from '../support/ggml-test-model';
import { fixture } from '../support/fixtures';
import { startHallo, type Harness } from '../support/hallo-harness';
import { captureLog } from '../support/log-capture';
import { pollUntil } from '../support/poll';
import { sendMessages } from '../support/send-messages';

jest.setTimeout(180_000);

// The real engine (smart-whisper, whisper.cpp) on a small random-weight model in whisper.cpp's
// format: its words mean nothing, so these tests check structure, states and cleanup.
describe('transcripts', () => {
  let dir: string;
  let model: string;
  let hallo: Harness;
  const log = captureLog();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hallo-transcripts-'));
    model = path.join(dir, 'ggml-test.bin');
    await writeGgmlModel(model);
    hallo = await startHallo({
      driver: 'disk',
      env: { TRANSCRIBE_MODEL: model, LOG_LEVEL: 'info' },
      log: log.stream,
    });
  });
  afterAll(async () => {
    await hallo?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const transcriptOf = (id: string) =>
    hallo.services.documents.readTranscript(id) as Promise<TranscriptDocument | undefined>;
  const waitForTranscript = (id: string, states: string[], timeoutMs = 90_000) =>
    pollUntil(
      () => transcriptOf(id).then((d) => d ?? null),
      (d) => states.includes(d.state),
      `transcript of ${id}`,
      timeoutMs,
    );

  it('transcribes a rendered message once, with segments inside the clip', async () => {
    const { id } = await sendMessages(hallo, [['id', 'speech.wav', {}]]);
    const ready = await hallo.waitForProcessing(id!, ['ready']);
    const doc = await waitForTranscript(id!, ['ready', 'failed']);
    expect(doc.state).toBe('ready');
    const result = doc.result!;
    expect(result.durationSeconds).toBeCloseTo(ready.processing.durationSeconds, 3);
    expect(result.language).toMatch(/^[a-z]{2,3}$/);
    expect(doc.model).toEqual({ name: 'ggml-test.bin', bytes: expect.any(Number) });
    for (const segment of result.segments) {
      expect(segment.start).toBeGreaterThanOrEqual(0);
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
      expect(segment.end).toBeLessThanOrEqual(result.durationSeconds);
      expect(segment.text).not.toBe('');
      for (const word of segment.words ?? []) {
        expect(word.end).toBeLessThanOrEqual(result.durationSeconds);
        expect(word.p).toBeGreaterThanOrEqual(0);
      }
    }
    expect(result.text).toBe(result.segments.map((s) => s.text).join(' '));

    // The API, the list and the job agree; one engine run, and the temp folder is empty.
    const api = await hallo.adminJson(`/api/admin/submissions/${id}/transcript`);
    expect(api).toMatchObject({ state: 'ready', language: result.language });
    expect(api.segments).toEqual(result.segments);
    const listed = await hallo.adminJson('/api/admin/submissions');
    const row = listed.items.find((item: { id: string }) => item.id === id);
    expect(row.transcript.state).toBe('ready');
    const job = await pollUntil(
      () => hallo.services.queues.job('transcribe', { submissionId: id! }).then((j) => j ?? null),
      (j) => j.finishedOn !== undefined,
      'transcribe job',
    );
    expect(job.returnvalue).toBe('ready');
    expect(job.attemptsMade).toBe(1);
    const runs = log.lines.filter((l) => l.includes('transcript ready') && l.includes(id!));
    expect(runs).toHaveLength(1);
    expect(hallo.tempFiles()).toEqual([]);
    // The listener's words never reach the log.
    const words = result.text.split(' ').filter((w) => w.length > 3);
    for (const word of words.slice(0, 5)) expect(log.lines.join('\n')).not.toContain(word);
  });

  it('a second run keeps the transcript it has; "again" makes a new one', async () => {
    const { id } = await sendMessages(hallo, [['id', 'speech.wav', {}]]);
    const first = await waitForTranscript(id!, ['ready']);
    await hallo.services.queues.requeue('transcribe', { submissionId: id! });
    const job = await pollUntil(
      () => hallo.services.queues.job('transcribe', { submissionId: id! }).then((j) => j ?? null),
      (j) => j.finishedOn !== undefined,
      'repeated job',
    );
    expect(job.returnvalue).toBe('already-done');
    expect(await transcriptOf(id!)).toEqual(first);

    const again = await hallo.admin(`/api/admin/submissions/${id}/transcribe`, { method: 'POST' });
    expect(again.status).toBe(202);
    const second = await pollUntil(
      () => transcriptOf(id!).then((d) => d ?? null),
      (d) => d.state === 'ready' && d.updatedAt !== first.updatedAt,
      'new transcript',
      60_000,
    );
    expect(second.result?.durationSeconds).toBe(first.result?.durationSeconds);
  });

  it('keeps the team’s correction beside the machine’s text, and search finds it', async () => {
    const { id } = await sendMessages(hallo, [['id', 'speech.wav', {}]]);
    const machine = await waitForTranscript(id!, ['ready']);
    const put = (text: string) =>
      hallo.admin(`/api/admin/submissions/${id}/transcript`, {
        method: 'PUT',
        body: JSON.stringify({ text }),
        headers: { 'content-type': 'application/json' },
      });
    expect((await put('Grüße aus der Bratwurstbude am Hafen')).status).toBe(200);
    const edited = await hallo.adminJson(`/api/admin/submissions/${id}/transcript`);
    expect(edited).toMatchObject({
      edited: true,
      text: 'Grüße aus der Bratwurstbude am Hafen',
      machineText: machine.result!.text,
      editedBy: expect.any(String),
    });
    const found = await hallo.adminJson('/api/admin/submissions?q=bratwurstbude%20grusse');
    expect(found.items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect(found.items[0].transcript.firstLine).toBe('Grüße aus der Bratwurstbude am Hafen');

    // Too long is refused in words; empty goes back to the machine's version.
    const tooLong = await put('x'.repeat(20_001));
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.code).toBe('INVALID_BODY');
    expect((await put('  ')).status).toBe(200);
    const back = await hallo.adminJson(`/api/admin/submissions/${id}/transcript`);
    expect(back.edited).toBeUndefined();
    expect(back.text).toBe(machine.result!.text);
    const gone = await hallo.adminJson('/api/admin/submissions?q=bratwurstbude');
    expect(gone.items).toEqual([]);
  });

  it('an engine that crashes fails only the transcript, after its retries', async () => {
    const real = hallo.services.engineScript;
    hallo.services.engineScript = engineStandIn('crash');
    try {
      const { id } = await sendMessages(hallo, [['id', 'speech.wav', {}]]);
      const doc = await waitForTranscript(id!, ['failed']);
      expect(doc.attempt).toBe(3);
      expect(doc.error).toEqual(expect.any(String));
      const message = await hallo.adminJson(`/api/admin/submissions/${id}`);
      expect(message.processing.state).toBe('ready');
      expect(message.transcript.state).toBe('failed');
      expect(hallo.tempFiles()).toEqual([]);
    } finally {
      hallo.services.engineScript = real;
    }
  });

  it('a hanging engine is killed at its timeout, its whole process group with it', async () => {
    const started = Date.now();
    const run = runEngine(
      engineStandIn('hang'),
      { modelFile: model, pcmFile: fixture('speech.wav'), language: 'auto', threads: 1 },
      { timeoutMs: 1500 },
    );
    await expect(run).rejects.toBeInstanceOf(ProcessTimeoutError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an erasure while the engine runs leaves nothing behind', async () => {
    const real = hallo.services.engineScript;
    hallo.services.engineScript = engineStandIn({ delayMs: 3000 });
    try {
      const { id } = await sendMessages(hallo, [['id', 'speech.wav', {}]]);
      await waitForTranscript(id!, ['transcribing']);
      const erased = await hallo.admin(`/api/admin/submissions/${id}`, { method: 'DELETE' });
      expect(erased.status).toBe(200);
      const job = await pollUntil(
        () => hallo.services.queues.job('transcribe', { submissionId: id! }).then((j) => j ?? null),
        (j) => j.finishedOn !== undefined,
        'transcribe job',
        60_000,
      );
      expect(job.returnvalue).toBe('gone');
      expect((await hallo.objectKeys()).filter((k) => k.includes(id!))).toEqual([]);
      expect(await hallo.services.index.has(id!)).toBe(false);
      expect(hallo.tempFiles()).toEqual([]);
    } finally {
      hallo.services.engineScript = real;
    }
  });
});

describe('transcripts without a model', () => {
  let hallo: Harness;
  afterEach(() => hallo?.stop());

  it('are "unavailable", the message ready all the same; once a model is there, doctor makes them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hallo-later-model-'));
    const model = path.join(dir, 'ggml-later.bin');
    try {
      hallo = await startHallo({ driver: 'disk', env: { TRANSCRIBE_MODEL: model } });
      const { id } = await sendMessages(hallo, [['id', 'speech.wav', {}]]);
      await hallo.waitForProcessing(id!, ['ready']);
      const message = await pollUntil(
        () => hallo.adminJson(`/api/admin/submissions/${id}`),
        (m) => m.transcript.state === 'unavailable',
        'unavailable transcript',
        30_000,
      );
      expect(message.transcript.reason).toBe('no-model');
      expect(message.processing.state).toBe('ready');
      const { services } = hallo;
      expect((await runDoctor(services, false)).transcriptsToMake).toEqual([]);

      // A transcript whose job was lost is stuck; the doctor queues it again.
      await writeGgmlModel(model);
      expect(await runDoctor(services, true)).toMatchObject({
        transcriptsToMake: [id],
        stuckTranscripts: [],
      });
      const made = await pollUntil(
        () => services.documents.readTranscript(id!).then((d) => d ?? null),
        (d) => d.state === 'ready',
        'transcript made after the model arrived',
        90_000,
      );
      expect(made.model?.name).toBe('ggml-later.bin');
      await services.store.delete(`submissions/${id}/transcript.json`);
      await services.queues.remove('transcribe', { submissionId: id! });
      expect((await runDoctor(services, false)).stuckTranscripts).toEqual([id]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('are "off" with TRANSCRIBE=off: no job, and asking for one is refused', async () => {
    hallo = await startHallo({ driver: 'disk', env: { TRANSCRIBE: 'off' } });
    const { id } = await sendMessages(hallo, [['id', 'speech.wav', {}]]);
    const message = await hallo.waitForProcessing(id!, ['ready']);
    expect(message.transcript).toEqual({ state: 'off' });
    expect(await hallo.services.queues.job('transcribe', { submissionId: id! })).toBeUndefined();
    const asked = await hallo.admin(`/api/admin/submissions/${id}/transcribe`, { method: 'POST' });
    expect(asked.status).toBe(409);
    expect((await asked.json()).error.code).toBe('TRANSCRIPTS_OFF');
    expect(existsSync(path.join(hallo.tempDir))).toBe(true);
  });
});
