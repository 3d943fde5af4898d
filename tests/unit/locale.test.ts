import { localeFromAcceptLanguage } from '../../src/i18n/locale';
import { ERROR_MESSAGES, errorMessage } from '../../src/i18n/error-messages';

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.5,de;q=0.4', 'en'],
    ['de;q=0.2,en;q=0.8', 'en'],
    ['fr', 'de'],
    [undefined, 'de'],
    ['en;q=0', 'de'],
  ])('%s → %s', (header, expected) => {
    expect(localeFromAcceptLanguage(header, 'de')).toBe(expected);
  });
});

describe('error messages', () => {
  const params = {
    maxSeconds: 300,
    minSeconds: 1,
    maxMegabytes: 100,
    field: 'x',
    retryAfterSeconds: 5,
    detail: 'x',
  };

  it('exist in German and English for every code, and differ', () => {
    for (const [code, messages] of Object.entries(ERROR_MESSAGES)) {
      const de = errorMessage(code as keyof typeof ERROR_MESSAGES, 'de', params);
      const en = errorMessage(code as keyof typeof ERROR_MESSAGES, 'en', params);
      expect(messages.de).toBeDefined();
      expect(de.length).toBeGreaterThan(5);
      expect(en.length).toBeGreaterThan(5);
      if (code !== 'NOT_FOUND') expect(de).not.toBe(en);
    }
  });

  it('fills parameters', () => {
    expect(errorMessage('AUDIO_TOO_LONG', 'de', { maxSeconds: 300 })).toContain('300 Sekunden');
  });
});
