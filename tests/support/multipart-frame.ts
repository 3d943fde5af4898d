/**
 * The bytes around one audio file in a hand-written multipart form, for tests that send the
 * file themselves (slowly, in pieces, or held back) instead of through fetch's FormData.
 */
export function multipartFrame(
  fields: Record<string, string>,
  file: { filename: string; type: string },
  boundary = `----hallo${Math.random().toString(16).slice(2)}`,
): { head: Buffer; tail: Buffer; contentType: string } {
  const parts = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  return {
    head: Buffer.from(
      `${parts}--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="${file.filename}"\r\n` +
        `Content-Type: ${file.type}\r\n\r\n`,
    ),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
