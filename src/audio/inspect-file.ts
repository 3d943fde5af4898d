import { createReadStream } from 'node:fs';
import { inspectUpload } from './inspect-upload';
import { StreamingInspection, type StreamInspectionOptions } from './inspect-stream';
import type { AudioContainer } from './sniff';
import type { UploadFacts } from './upload-facts';

/**
 * The upload check on a finished temp file, for uploads that were not checked while arriving:
 * the same StreamingInspection fed from the file, so both ways give the same verdicts; formats
 * that need seeking go to ffmpeg on the file. The caller holds an inspection slot.
 * Rejects with EarlyRefusal where the arriving check would have refused.
 */
export async function inspectFile(
  filePath: string,
  container: AudioContainer,
  options: Omit<StreamInspectionOptions, 'slots'>,
): Promise<UploadFacts> {
  const inspection = new StreamingInspection(options);
  try {
    for await (const chunk of createReadStream(filePath, { highWaterMark: 64 * 1024 }))
      await inspection.write(chunk as Buffer);
    const verdict = await inspection.end();
    if (verdict.kind === 'facts') return verdict.facts;
  } catch (error) {
    inspection.abort();
    throw error;
  }
  return inspectUpload(filePath, container, options);
}
