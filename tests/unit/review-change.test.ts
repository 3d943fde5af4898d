import { applyReviewChange, reviewChangeSchema } from '../../src/submissions/review-change';
import { NEW_REVIEW } from '../../src/submissions/submission';

describe('review changes', () => {
  it('changes only what is named, and null clears a field', () => {
    const tagged = applyReviewChange(NEW_REVIEW, { state: 'approved', episode: 'Folge 12' });
    expect(tagged).toEqual({ state: 'approved', starred: false, episode: 'Folge 12' });
    const noted = applyReviewChange(tagged, { note: 'Intro', starred: true });
    expect(noted).toEqual({ state: 'approved', starred: true, episode: 'Folge 12', note: 'Intro' });
    expect(applyReviewChange(noted, { episode: null, note: '  ' })).toEqual({
      state: 'approved',
      starred: true,
    });
  });

  it('needs an episode for "used"', () => {
    expect(() => applyReviewChange(NEW_REVIEW, { state: 'used' })).toThrow(/episode/);
    expect(applyReviewChange(NEW_REVIEW, { state: 'used', episode: '#130' }).state).toBe('used');
  });

  it.each([
    [{}, false],
    [{ state: 'approved' }, true],
    [{ state: 'maybe' }, false],
    [{ starred: 'yes' }, false],
    [{ episode: 'Folge 12' }, true],
    [{ episode: ' Folge 12 ' }, true],
    [{ episode: '../x' }, false],
    [{ episode: 'x'.repeat(41) }, false],
    [{ note: 'n'.repeat(2001) }, false],
    [{ note: null, episode: null }, true],
    [{ state: 'approved', extra: 1 }, false],
  ])('accepts %j: %s', (body, ok) => {
    expect(reviewChangeSchema.safeParse(body).success).toBe(ok);
  });
});
