/** Ghost's and the network's errors as a sentence for the inbox (never the key, never a body). */
export function describeGhostFailure(error: unknown, ghostUrl: string): string {
  const e = (error ?? {}) as { name?: string; code?: string; status?: number; message?: string };
  const status = e.status;
  if (
    e.name === 'UnauthorizedError' ||
    e.name === 'NoPermissionError' ||
    status === 401 ||
    status === 403
  )
    return 'Ghost refused the Admin API key: check GHOST_ADMIN_API_KEY (Ghost → Settings → Integrations).';
  if (e.name === 'RequestEntityTooLargeError' || status === 413)
    return 'Ghost, or the proxy in front of it, refused a clip as too large: raise its upload limit (for nginx: client_max_body_size).';
  if (e.name === 'TooManyRequestsError' || status === 429)
    return 'Ghost asked hallo to slow down (rate limit).';
  if (
    e.code &&
    /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|ECONNABORTED|EHOSTUNREACH)$/.test(
      e.code,
    )
  )
    return `Ghost at ${new URL(ghostUrl).origin} cannot be reached (${e.code}).`;
  if (status !== undefined && status >= 500) return `Ghost failed with HTTP ${status}.`;
  return `Ghost answered: ${(e.message ?? 'an unknown error').slice(0, 200)}`;
}
