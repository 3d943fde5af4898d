import { connect } from 'node:net';

/** What a client that reads only after sending got back: the raw answer, or how it failed. */
export interface LateReading {
  answer: string;
  error?: string;
}

const PIECE = 64 * 1024;

/**
 * Sends an HTTP request in pieces without reading the socket, then reads the answer: as a
 * phone on a slow uplink or a browser mid-upload does, whose answer arrives while it is still
 * sending. A server that resets the connection under it makes it lose an answer already sent.
 */
export async function sendThenRead(url: string, head: string, body: Buffer): Promise<LateReading> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.pause();
  let error: string | undefined;
  socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const request = Buffer.concat([Buffer.from(head), body]);
  for (let sent = 0; sent < request.length && error === undefined && !socket.destroyed;) {
    const piece = request.subarray(sent, sent + PIECE);
    sent += piece.length;
    // Waits for the kernel to take each piece, as long as the server reads at all.
    const taken = new Promise<void>((resolve) => socket.write(piece, () => resolve()));
    await Promise.race([taken, closed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  let answer = '';
  socket.setEncoding('latin1').on('data', (d: string) => (answer += d));
  socket.resume();
  const giveUp = setTimeout(() => socket.destroy(), 10_000);
  await closed;
  clearTimeout(giveUp);
  return error === undefined ? { answer } : { answer, error };
}
