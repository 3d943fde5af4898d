import { keys, submissionIdOfListenerKey, isSubmissionId } from '../../src/storage/keys';
import { clipFilename, slugify } from '../../src/submissions/clip-filename';

const ID = '01JDQ7Z8X9K3M5N7P9R1T3V5W7';

describe('object keys', () => {
  it('lays every object of a submission under its prefix', () => {
    expect(keys.listener(ID)).toBe(`submissions/${ID}/listener.json`);
    expect(keys.processing(ID)).toBe(`submissions/${ID}/processing.json`);
    expect(keys.review(ID)).toBe(`submissions/${ID}/review.json`);
    expect(keys.original(ID, 'webm')).toBe(`submissions/${ID}/original.webm`);
    expect(keys.clip(ID, 'wav')).toBe(`submissions/${ID}/clip.wav`);
    expect(keys.peaks(ID)).toBe(`submissions/${ID}/peaks.json`);
  });

  it('refuses ids and extensions that could escape the layout', () => {
    expect(() => keys.listener('../etc')).toThrow();
    expect(() => keys.listener(ID.toLowerCase())).toThrow();
    expect(() => keys.original(ID, '../x')).toThrow();
    expect(isSubmissionId('01JDQ7Z8X9K3M5N7P9R1T3V5WU')).toBe(false); // U is not Crockford base32
  });

  it('reads the id back from a listener key only', () => {
    expect(submissionIdOfListenerKey(keys.listener(ID))).toBe(ID);
    expect(submissionIdOfListenerKey(keys.clip(ID, 'mp3'))).toBeUndefined();
  });
});

describe('clip filenames', () => {
  it('reads date, name and short id', () => {
    expect(
      clipFilename(
        { id: ID, receivedAt: '2026-11-25T10:00:00.000Z', name: 'Anna aus Berlin!' },
        'wav',
      ),
    ).toBe(
      '2026-11-25_anna-aus-berlin_p9r1t3v5w7'.replace('p9r1t3v5w7', ID.slice(-8).toLowerCase()) +
        '.wav',
    );
  });

  it.each([
    ['Jürgen Größe', 'juergen-groesse'],
    ['Zoë Ça va', 'zoe-ca-va'],
    ['山田', 'hoerer'],
    ['  --  ', 'hoerer'],
  ])('slugify(%s) = %s', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });
});
