import {
  consentText,
  consentTextSha256,
  newsletterConsentText,
  newsletterConsentTextSha256,
} from '../../src/submissions/consent-text';

describe('consent text', () => {
  const base = { podcastName: 'Hallo Welt', retentionDays: 30 };

  it('names the podcast, the retention period and the way to withdraw in both languages', () => {
    const withMail = { ...base, contactEmail: 'redaktion@example.org' };
    expect(consentText('de', withMail)).toMatch(
      /„Hallo Welt“.*spätestens 30 Tagen.*widerrufen \(per E-Mail an redaktion@example\.org\)/,
    );
    expect(consentText('en', withMail)).toMatch(
      /"Hallo Welt".*after 30 days.*withdraw my consent at any time \(by e-mail to redaktion@example\.org\)/,
    );
  });

  it('points to the privacy notice when no contact address is configured', () => {
    expect(consentText('de', base)).toContain('(wie in den Datenschutzhinweisen beschrieben)');
    expect(consentText('en', base)).toContain('(as the privacy notice describes)');
  });

  it('hashes exactly the text shown, so a changed text gives another hash', () => {
    expect(consentTextSha256('de', base)).toMatch(/^[0-9a-f]{64}$/);
    expect(consentTextSha256('de', base)).not.toBe(
      consentTextSha256('de', { ...base, retentionDays: 31 }),
    );
    expect(consentTextSha256('de', base)).not.toBe(consentTextSha256('en', base));
  });

  it('asks for the newsletter apart, naming the podcast, with its own hash', () => {
    expect(newsletterConsentText('de', base)).toMatch(/Newsletter von „Hallo Welt“/);
    expect(newsletterConsentText('en', base)).toMatch(/newsletter of "Hallo Welt"/);
    expect(newsletterConsentTextSha256('de', base)).not.toBe(consentTextSha256('de', base));
  });
});
