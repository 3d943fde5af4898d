import { inspectFile } from '../audio/inspect-file';
import { EarlyRefusal, StreamingInspection, type StreamVerdict } from '../audio/inspect-stream';
import type { ProcessSlots } from '../audio/process-slots';
import type { AudioContainer } from '../audio/sniff';
import type { UploadFacts } from '../audio/upload-facts';
import type { Config } from '../config';
import { AppError } from '../errors';

/** The longest an upload may take (the server's request timeout). */
export const UPLOAD_WALL_MS = 15 * 60 * 1000;

export interface UploadCheckDeps {
  config: Config;
  /** Bounds the decoders checking finished files. */
  inspections: ProcessSlots;
}

/**
 * A slow phone keeps its decoder waiting for bytes for a minute: those get a pool of their own,
 * so they never hold up the (short, CPU-bound) checks of finished files.
 */
export interface ArrivingCheckDeps {
  config: Config;
  arrivingInspections: ProcessSlots;
}

function inspectionOptions(config: Config) {
  return {
    ffmpegPath: config.FFMPEG_PATH,
    maxDurationSeconds: config.MAX_DURATION_SECONDS,
    timeoutMs: config.FFMPEG_TIMEOUT_SECONDS * 1000,
    uploadWallMs: UPLOAD_WALL_MS,
  };
}

/** The intake's answer to a refusal the check was certain of. */
export function refusalError(error: unknown, config: Config): unknown {
  if (!(error instanceof EarlyRefusal)) return error;
  if (error.reason === 'too-long')
    return new AppError('AUDIO_TOO_LONG', { maxSeconds: config.MAX_DURATION_SECONDS });
  if (error.reason === 'corrupt') return new AppError('AUDIO_CORRUPT');
  return new AppError('UNSUPPORTED_AUDIO_FORMAT');
}

/** What the upload middleware feeds while a file arrives (its ArrivingFileCheck). */
export interface ArrivingUploadCheck {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<StreamVerdict>;
  abort(): void;
}

/** A check for the upload middleware: each audio file is inspected while it arrives. */
export function arrivingUploadCheck(deps: ArrivingCheckDeps): () => ArrivingUploadCheck {
  const options = { ...inspectionOptions(deps.config), slots: deps.arrivingInspections };
  return () => {
    const inspection = new StreamingInspection(options);
    const mapped = <T>(promise: Promise<T>): Promise<T> =>
      promise.catch((error: unknown) => {
        throw refusalError(error, deps.config);
      });
    return {
      write: (chunk) => mapped(inspection.write(chunk)),
      end: () => mapped(inspection.end()),
      abort: () => inspection.abort(),
    };
  };
}

/** The facts of an upload: from the arriving check where it ran, else from the finished file. */
export async function uploadFacts(
  deps: UploadCheckDeps,
  file: { path: string; verdict?: StreamVerdict },
  container: AudioContainer,
): Promise<UploadFacts> {
  if (file.verdict?.kind === 'facts') return file.verdict.facts;
  try {
    return await deps.inspections.run(() =>
      inspectFile(file.path, container, inspectionOptions(deps.config)),
    );
  } catch (error) {
    throw refusalError(error, deps.config);
  }
}
