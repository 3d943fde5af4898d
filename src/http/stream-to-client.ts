import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Streams a body to the client. A client that stops reading (a player that seeks, a closed tab)
 * ends the pipeline with ERR_STREAM_PREMATURE_CLOSE: that is the client's choice, not a server
 * error, so it is logged at debug and not passed on. A failing source still fails the request.
 */
export async function streamToClient(source: Readable, res: Response): Promise<void> {
  try {
    await pipeline(source, res);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_STREAM_PREMATURE_CLOSE' && !res.writableFinished && res.destroyed) {
      source.destroy();
      res.req.log?.debug({ bytesSent: res.socket?.bytesWritten }, 'client stopped reading');
      return;
    }
    throw error;
  }
}
