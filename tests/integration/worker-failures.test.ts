import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { jobId } from '../../src/queue/jobs';
import { processSubmission } from '../../src/submissions/process-submission';
import { ffmpegStandIn } from '../support/ffmpeg-stand-in';
import { fixture } from '../support/fixtures';
import { pollUntil } from '../support/poll';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('worker failures', () => {
  const binDir = mkdtempSync(path.join(os.tmpdir(), 'hallo-bin-'));
  afterAll(() => rmSync(binDir, { recursive: true, force: true }));

  describe('an ffmpeg that fails every render', () => {
    let hallo: Harness;
    beforeAll(async () => {
      const ffmpeg = ffmpegStandIn('echo "Simulated encoder failure" >&2; exit 1', binDir);
      hallo = await startHallo({ driver: 'disk', env: { FFMPEG_PATH: ffmpeg, JOB_ATTEMPTS: '2' } });
    });
    afterAll(() => hallo?.stop());

    it('retries, then marks the submission failed with a readable reason after the last attempt', async () => {
      const sent = await hallo.upload({
        audio: { path: fixture('chrome.webm') },
        fields: validFields,
      });
      expect(sent.status).toBe(201);
      const failed = await hallo.waitForProcessing(sent.body.id, ['failed', 'ready']);
      expect(failed.processing.state).toBe('failed');
      expect(failed.processing.error).toMatch(/ffmpeg could not process the audio/);
      const doc = await hallo.services.documents.readProcessing(sent.body.id);
      expect(doc?.attempt).toBe(2);
      // The list follows the document by one index write.
      const listed = await pollUntil(
        () => hallo.adminJson('/api/admin/submissions?processing=failed'),
        (page) => page.items.length > 0,
        'the failed list',
      );
      expect(listed.items.map((i: { id: string }) => i.id)).toEqual([sent.body.id]);
      expect(hallo.tempFiles()).toEqual([]);
    });
  });

  describe('an ffmpeg that fails until the problem is fixed', () => {
    let hallo: Harness;
    const broken = path.join(binDir, 'broken');
    beforeAll(async () => {
      writeFileSync(broken, '');
      const ffmpeg = ffmpegStandIn(`[ -f ${broken} ] && { echo "disk full" >&2; exit 1; }`, binDir);
      hallo = await startHallo({ driver: 'disk', env: { FFMPEG_PATH: ffmpeg, JOB_ATTEMPTS: '1' } });
    });
    afterAll(() => hallo?.stop());

    it('processes a failed submission again on retry, and refuses to retry one that did not fail', async () => {
      const sent = await hallo.upload({
        audio: { path: fixture('chrome.webm') },
        fields: validFields,
      });
      expect(sent.status).toBe(201);
      const id = sent.body.id;
      expect((await hallo.waitForProcessing(id, ['failed', 'ready'])).processing.state).toBe(
        'failed',
      );

      rmSync(broken);
      const retried = await hallo.admin(`/api/admin/submissions/${id}/retry`, { method: 'POST' });
      expect(retried.status).toBe(202);
      expect(await retried.json()).toEqual({ id, processing: 'queued' });
      const ready = await hallo.waitForProcessing(id, ['ready']);
      expect(ready.processing.outputLoudness.integratedLufs).toBeCloseTo(-16, 0);

      const again = await hallo.admin(`/api/admin/submissions/${id}/retry`, { method: 'POST' });
      expect(again.status).toBe(409);
      expect((await again.json()).error.code).toBe('NOT_RETRYABLE');
      expect(hallo.tempFiles()).toEqual([]);
    });

    it('runs a retry that comes while the failed job is still being put away', async () => {
      writeFileSync(broken, '');
      // The document says failed a moment before the queue has moved the job out of active;
      // a slow index write after it holds that moment open.
      const index = hallo.services.index;
      const setProcessing = index.setProcessing.bind(index);
      index.setProcessing = async (...args: Parameters<typeof setProcessing>) => {
        if (args[1] === 'failed') await new Promise((r) => setTimeout(r, 1500));
        return setProcessing(...args);
      };
      try {
        const sent = await hallo.upload({
          audio: { path: fixture('chrome.webm') },
          fields: validFields,
        });
        const id = sent.body.id;
        await pollUntil(
          () => hallo.services.documents.readProcessing(id),
          (doc) => doc?.state === 'failed',
          'the failed document',
          // Probe, render attempt and failure write; a busy CI tier has taken more than 5 s.
          30_000,
        );
        expect(
          await hallo.services.queues
            .queue('transcode')
            .getJobState(jobId.transcode({ submissionId: id })),
        ).toBe('active');
        rmSync(broken);
        const retried = await hallo.admin(`/api/admin/submissions/${id}/retry`, { method: 'POST' });
        expect(retried.status).toBe(202);
        const ready = await hallo.waitForProcessing(id, ['ready'], 20_000);
        expect(ready.processing.state).toBe('ready');
      } finally {
        index.setProcessing = setProcessing;
      }
    });
  });

  describe('an ffmpeg that hangs', () => {
    let hallo: Harness;
    const marker = `hallo-hang-${process.pid}`;
    beforeAll(async () => {
      const ffmpeg = ffmpegStandIn(`exec -a ${marker} sleep 600`, binDir);
      hallo = await startHallo({
        driver: 'disk',
        env: { FFMPEG_PATH: ffmpeg, JOB_ATTEMPTS: '2', FFMPEG_TIMEOUT_SECONDS: '2' },
      });
    });
    afterAll(() => hallo?.stop());

    it('is killed at the timeout, retried, then the submission is failed with the reason', async () => {
      const sent = await hallo.upload({
        audio: { path: fixture('chrome.webm') },
        fields: validFields,
      });
      expect(sent.status).toBe(201);
      const failed = await hallo.waitForProcessing(sent.body.id, ['failed', 'ready'], 30000);
      expect(failed.processing.error).toMatch(/took too long/);
      const survivors = execFileSync('sh', [
        '-c',
        `pgrep -f "[${marker[0]}]${marker.slice(1)}" || true`,
      ])
        .toString()
        .trim();
      expect(survivors).toBe('');
      expect(hallo.tempFiles()).toEqual([]);
    });
  });

  describe('the handler', () => {
    let hallo: Harness;
    beforeAll(async () => {
      hallo = await startHallo({ driver: 'disk', worker: false });
    });
    afterAll(() => hallo?.stop());

    it('does nothing for a finished or a gone submission', async () => {
      const sent = await hallo.upload({
        audio: { path: fixture('firefox.ogg') },
        fields: validFields,
      });
      const id = sent.body.id as string;
      expect(await processSubmission(hallo.services, id, 1)).toBe('ready');
      const firstWav = await hallo.services.store.head(`submissions/${id}/clip.wav`);
      expect(await processSubmission(hallo.services, id, 1)).toBe('already-done');
      expect(await hallo.services.store.head(`submissions/${id}/clip.wav`)).toEqual(firstWav);
      await hallo.services.documents.erase(id);
      expect(await processSubmission(hallo.services, id, 1)).toBe('gone');
      expect(await hallo.objectKeys()).toEqual([]);
    });
  });
});
