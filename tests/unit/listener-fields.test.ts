import { AppError } from '../../src/errors';
import { parseListenerFields } from '../../src/submissions/listener-fields';

const valid = { name: '  Anna   aus Berlin ', consent: 'true' };

function codeOf(body: Record<string, unknown>): string | undefined {
  try {
    parseListenerFields(body);
    return undefined;
  } catch (error) {
    return (error as AppError).code;
  }
}

describe('parseListenerFields', () => {
  it('trims and collapses the name and drops empty optional fields', () => {
    expect(
      parseListenerFields({ ...valid, email: ' ', message: '', topic: '  Folge   42 ' }),
    ).toEqual({
      name: 'Anna aus Berlin',
      topic: 'Folge 42',
    });
  });

  it('keeps e-mail, note and locale', () => {
    expect(
      parseListenerFields({
        ...valid,
        email: 'anna@example.org',
        message: 'Hallo\r\nihr!',
        locale: 'en',
        consent: 'on',
      }),
    ).toEqual({
      name: 'Anna aus Berlin',
      email: 'anna@example.org',
      message: 'Hallo\nihr!',
      locale: 'en',
    });
  });

  it.each([
    [{ consent: 'true' }, 'NAME_INVALID'],
    [{ ...valid, name: '   ' }, 'NAME_INVALID'],
    [{ ...valid, name: 'x'.repeat(81) }, 'NAME_INVALID'],
    [{ ...valid, name: 'a\u0007b' }, 'NAME_INVALID'],
    [{ ...valid, email: 'not-an-address' }, 'EMAIL_INVALID'],
    [{ ...valid, email: 'a@b' }, 'EMAIL_INVALID'],
    [{ ...valid, message: 'ü'.repeat(2001) }, 'MESSAGE_TOO_LONG'],
    [{ ...valid, topic: 't'.repeat(101) }, 'TOPIC_TOO_LONG'],
    [{ ...valid, locale: 'fr' }, 'LOCALE_INVALID'],
    [{ name: 'Anna' }, 'CONSENT_REQUIRED'],
    [{ name: 'Anna', consent: 'false' }, 'CONSENT_REQUIRED'],
    [{ ...valid, website: 'http://spam.example' }, 'SPAM_SUSPECTED'],
    [{ ...valid, extra: 'x' }, 'UNEXPECTED_FIELD'],
    [{ ...valid, name: ['a', 'b'] }, 'MALFORMED_REQUEST'],
    [{ ...valid, newsletter: 'maybe' }, 'MALFORMED_REQUEST'],
  ])('refuses %j with %s', (body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  it('takes the newsletter box only when it is ticked', () => {
    expect(parseListenerFields({ ...valid, newsletter: 'true' }).newsletter).toBe(true);
    expect(parseListenerFields({ ...valid, newsletter: 'on' }).newsletter).toBe(true);
    expect(parseListenerFields({ ...valid, newsletter: 'false' })).not.toHaveProperty('newsletter');
    expect(parseListenerFields(valid)).not.toHaveProperty('newsletter');
  });

  it('counts characters, not UTF-16 units: 80 emoji are a valid name', () => {
    expect(parseListenerFields({ ...valid, name: '🎙'.repeat(80) }).name).toHaveLength(160);
  });
});
