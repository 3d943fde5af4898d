import type { Config } from './config';

/** Shapes of secrets hallo hands out or passes on, recognisable wherever they end up in a line. */
const SECRET_SHAPES: RegExp[] = [
  // Personal API tokens.
  /hallo_[A-Za-z0-9_-]{20,}/g,
  // A session cookie, in a header or a message.
  /(hallo_session=)[^;\s"\\]+/g,
  // Authorization headers quoted in a message.
  /((?:Bearer|Basic|Ghost)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // Presigned links and other signed URLs.
  /((?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|signature|token|sig)=)[^&\s"\\]+/gi,
  // A reply page's private link.
  /(\/r\/)[A-Za-z0-9_-]{20,}/g,
  // Passwords inside URLs (SMTP_URL, REDIS_URL).
  /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s"@]*:)[^@\s"/]+(?=@)/gi,
];

const REPLACEMENT = '[redacted]';

/** The configured secrets, each as it could appear in a line: whole, and URL-encoded. */
export function configuredSecrets(config: Partial<Config>): string[] {
  const values = [
    config.ADMIN_TOKEN,
    config.METRICS_TOKEN,
    config.WEBHOOK_SECRET,
    config.S3_SECRET_ACCESS_KEY,
    config.GHOST_ADMIN_API_KEY,
    config.GHOST_ADMIN_API_KEY?.split(':')[1],
    config.SMTP_URL && passwordOf(config.SMTP_URL),
    config.REDIS_URL && passwordOf(config.REDIS_URL),
  ].filter((v): v is string => typeof v === 'string' && v.length >= 8);
  return [
    ...new Set(values.flatMap((v) => [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1)])),
  ];
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes every known secret and every secret-shaped string out of a finished log line. The last
 * line of defence: the logger's serializers and redact paths keep secrets out in the first place.
 */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  const known = [...secrets].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REPLACEMENT);
    for (const shape of SECRET_SHAPES)
      out = out.replace(shape, (match, keep?: unknown) =>
        typeof keep === 'string' && match.startsWith(keep) ? `${keep}${REPLACEMENT}` : REPLACEMENT,
      );
    return out;
  };
}
