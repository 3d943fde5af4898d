import type { Request } from 'express';

/**
 * True when a browser says the request comes from our own origin: Fetch Metadata
 * (Sec-Fetch-Site: same-origin) where the browser sends it, else an Origin header equal to ours.
 * A request with neither is not from a page of ours (browsers send one of them on every POST).
 */
export function isSameOrigin(req: Request, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  const own = `${req.protocol}://${req.get('host')}`;
  return origin === own || origin === new URL(publicUrl).origin;
}
