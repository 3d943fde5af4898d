import { createHash } from 'node:crypto';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('listener pages and their configuration', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      env: {
        PODCAST_NAME: 'Hallo Welt',
        ACCENT_COLOR: '#aa3300',
        RETENTION_DAYS: '90',
        PRIVACY_URL: 'https://podcast.example/datenschutz',
        CONTACT_EMAIL: 'redaktion@podcast.example',
        EMBED_ALLOWED_ORIGINS: 'https://podcast.example',
      },
    });
  });
  afterAll(() => hallo?.stop());

  it('GET /api/config gives the look, the limits and the consent text with the retention period', async () => {
    const config: any = await (await fetch(`${hallo.url}/api/config`)).json();
    expect(config).toMatchObject({
      podcast: {
        name: 'Hallo Welt',
        accentColor: '#aa3300',
        privacyUrl: 'https://podcast.example/datenschutz',
        logoUrl: null,
      },
      limits: { maxUploadBytes: 100 * 1024 * 1024, maxDurationSeconds: 300, minDurationSeconds: 1 },
      retentionDays: 90,
      defaultLocale: 'de',
    });
    expect(config.consent.text.de).toContain('„Hallo Welt“');
    expect(config.consent.text.de).toContain('90 Tagen');
    expect(config.consent.text.en).toContain('90 days');
    // How to withdraw: the configured address, in both languages.
    expect(config.consent.text.de).toContain('per E-Mail an redaktion@podcast.example');
    expect(config.consent.text.en).toContain('by e-mail to redaktion@podcast.example');
  });

  it('records the hash of exactly the consent text the page showed', async () => {
    const config: any = await (await fetch(`${hallo.url}/api/config`)).json();
    const sent = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: { ...validFields, locale: 'en' },
    });
    expect(sent.status).toBe(201);
    const submission = await hallo.adminJson(`/api/admin/submissions/${sent.body.id}`);
    const shown = createHash('sha256').update(config.consent.text.en, 'utf8').digest('hex');
    expect(submission.consent).toMatchObject({
      version: config.consent.version,
      locale: 'en',
      textSha256: shown,
    });
  });

  it('serves the recorder with a strict CSP, microphone for itself only, and no framing', async () => {
    const response = await fetch(`${hallo.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('permissions-policy')).toMatch(/^microphone=\(self\)/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('serves /embed to be framed by the configured origins, which may delegate the microphone', async () => {
    const response = await fetch(`${hallo.url}/embed`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self' https://podcast.example");
    expect(response.headers.get('permissions-policy')).toMatch(
      /^microphone=\(self "https:\/\/podcast.example"\)/,
    );
    expect(response.headers.get('x-frame-options')).toBeNull();
  });

  it('serves the inbox with a strict CSP and the microphone for its own origin (voice replies)', async () => {
    const response = await fetch(`${hallo.url}/inbox`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('js/inbox/main.js');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("media-src 'self' blob:;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('permissions-policy')).toMatch(/^microphone=\(self\),/);
  });

  it('keeps the API free of page headers and answers unknown API paths with JSON', async () => {
    const response = await fetch(`${hallo.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).error.code).toBe('NOT_FOUND');
  });
});
