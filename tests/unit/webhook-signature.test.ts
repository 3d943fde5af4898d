import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from '../../src/notifications/webhook-signature';

describe('webhook signatures', () => {
  const secret = 'webhook-secret-0123456789';
  const body = '{"event":"submission.ready"}';

  it('is HMAC-SHA256 of "<timestamp>.<body>" in hex, as a receiver recomputes it', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies only the exact body, timestamp and secret', () => {
    const signature = signWebhook(secret, 1700000000, body);
    expect(verifyWebhook(secret, 1700000000, body, signature)).toBe(true);
    expect(verifyWebhook(secret, 1700000001, body, signature)).toBe(false);
    expect(verifyWebhook(secret, 1700000000, `${body} `, signature)).toBe(false);
    expect(verifyWebhook('another-secret-0123456', 1700000000, body, signature)).toBe(false);
    expect(verifyWebhook(secret, 1700000000, body, 'sha256=00')).toBe(false);
  });
});
