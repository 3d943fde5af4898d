import type { Harness } from './hallo-harness';

export const TEST_OWNER = { email: 'olga@example.org', password: 'owner-password-4711' };

/**
 * Creates the account and signs it in from hallo's own origin, as the inbox does; returns the
 * `hallo_session=…` pair to send as a Cookie header.
 */
export async function signedInCookie(
  hallo: Harness,
  who = TEST_OWNER,
  role: 'owner' | 'editor' = 'owner',
): Promise<string> {
  await hallo.services.accounts.save(who.email, role, who.password);
  const response = await fetch(`${hallo.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: hallo.url },
    body: JSON.stringify(who),
  });
  const cookie = /hallo_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
  if (response.status !== 200 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return cookie;
}
