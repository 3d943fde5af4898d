/**
 * `attachment` Content-Disposition per RFC 6266: a plain-ASCII `filename` for old clients and an
 * RFC 8187 `filename*` carrying the real UTF-8 name. Used by the S3 presigner and the disk download route.
 */
export function attachmentDisposition(filename: string): string {
  const name = sanitize(filename);
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Bidi overrides and isolates let a name like "clip\u202Eevil.mp3" display as something else.
const CONTROL_OR_BIDI = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

function sanitize(filename: string): string {
  const cleaned = filename
    .replace(LONE_SURROGATE, '\uFFFD') // encodeURIComponent throws on these
    .replace(CONTROL_OR_BIDI, '')
    .replace(/[/\\]/g, '_')
    .trim();
  return cleaned === '' ? 'download' : cleaned;
}

function asciiFallback(name: string): string {
  const fallback = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // é -> e once decomposed
    // Outside printable ASCII, and the characters a quoted-string or a %-decoding client mishandles.
    .replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  return fallback.trim() === '' ? 'download' : fallback;
}

/** Percent-encodes everything but RFC 8187 attr-char; encodeURIComponent alone leaves ' ( ) * bare. */
function encodeRfc8187(name: string): string {
  return encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
