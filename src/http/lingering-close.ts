import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How long the rest of a refused body is read and dropped after the answer went out: time for
 * a client still sending to read the answer. (nginx's lingering close waits up to 5 s per read.)
 */
export const LINGER_MS = 5_000;

/**
 * Answers a request whose body will not be read to its end, so the client still gets the answer.
 *
 * Closing a socket that holds unread bytes makes the kernel send a reset, and a client still
 * sending (a phone on a slow uplink, a browser mid-upload) loses the answer it had not read yet:
 * it sees a network error instead of the refusal, and may send the whole file again. So, as
 * nginx does: the answer and a FIN go out, what still arrives is read and dropped, and the
 * socket is closed when the client closes its side or after `lingerMs`.
 */
export function closeAfterAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  lingerMs = LINGER_MS,
): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
  res.once('finish', () => linger(req, lingerMs));
}

function linger(req: IncomingMessage, lingerMs: number): void {
  const { socket } = req;
  if (socket.destroyed) return;
  // Node ends a closing answer's socket and destroys it as soon as the FIN is out; the destroy
  // is what would reset the connection. (If Node stops doing this, the removal does nothing.)
  socket.removeListener('finish', socket.destroy);
  if (socket.writable) socket.end();
  // The body goes nowhere: not into the form parser, not into a temp file.
  req.unpipe();
  req.resume();
  const close = () => socket.destroy();
  const timer = setTimeout(close, lingerMs);
  timer.unref();
  socket.once('end', close);
  socket.once('close', () => clearTimeout(timer));
}
