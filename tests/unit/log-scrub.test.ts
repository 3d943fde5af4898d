import { configuredSecrets, secretScrubber } from '../../src/log-scrub';

describe('the log scrubber', () => {
  const scrub = secretScrubber(
    configuredSecrets({
      ADMIN_TOKEN: 'admin-token-0123456789',
      SMTP_URL: 'smtp://mailer:p%40ss-word-99@mail.example:587',
    }),
  );

  it.each([
    ['a configured token', 'auth failed for admin-token-0123456789', 'admin-token'],
    ['a password inside a URL', 'connect smtp://mailer:p%40ss-word-99@mail.example', 'ss-word'],
    ['the decoded URL password', 'password p@ss-word-99 rejected', 'ss-word'],
    ['a personal API token', 'token hallo_abcdefghijklmnopqrstuvwxyz0123456789', 'hallo_abc'],
    ['a session cookie', 'Set-Cookie: hallo_session=Zm9vYmFyYmF6cXV4; Path=/', 'Zm9vYmFy'],
    ['a bearer header', 'Authorization: Bearer abcdefgh12345678', 'abcdefgh1'],
    ['a presigned link', 'GET /b/k?X-Amz-Signature=deadbeefcafe&X-Amz-Date=1', 'deadbeef'],
  ])('takes out %s', (_case, line, secret) => {
    const out = scrub(line);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary lines alone', () => {
    const line = '{"level":30,"msg":"job finished","outcome":"ready","id":"01JDQ"}';
    expect(scrub(line)).toBe(line);
  });
});
