import { ProcessFailedError, ProcessTimeoutError } from '../audio/run-process';

/** A sentence an author can read in the inbox for why processing gave up. */
export function describeFailure(error: unknown): string {
  if (error instanceof ProcessTimeoutError) {
    return 'Processing took too long and was stopped (ffmpeg timeout).';
  }
  if (error instanceof ProcessFailedError) {
    const lastLine = error.stderrTail.trim().split('\n').pop()?.trim();
    return `ffmpeg could not process the audio${lastLine ? `: ${lastLine.slice(0, 300)}` : '.'}`;
  }
  if (error instanceof Error) return `Processing failed: ${error.message.slice(0, 300)}`;
  return 'Processing failed for an unknown reason.';
}
