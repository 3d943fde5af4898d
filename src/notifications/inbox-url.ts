/** The inbox's address of one message, for mails and webhooks. */
export function inboxUrl(publicUrl: string, id: string): string {
  return new URL(`inbox#/s/${id}`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).href;
}
