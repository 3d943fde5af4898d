import { applyReviewChange, reviewChangeSchema } from '../../src/submissions/review-change';
import { REVIEW_TRANSITIONS } from '../../src/submissions/review-rules';
import { NEW_REVIEW, REVIEW_STATES } from '../../src/submissions/submission';

describe('review changes', () => {
  it('changes only what is named, and null clears a field', () => {
    const tagged = applyReviewChange(
      NEW_REVIEW,
      { state: 'approved', episode: 'Folge 12' },
      'owner',
    );
    expect(tagged).toEqual({ state: 'approved', starred: false, episode: 'Folge 12' });
    const noted = applyReviewChange(tagged, { note: 'Intro', starred: true }, 'editor');
    expect(noted).toEqual({ state: 'approved', starred: true, episode: 'Folge 12', note: 'Intro' });
    expect(applyReviewChange(noted, { episode: null, note: '  ' }, 'editor')).toEqual({
      state: 'approved',
      starred: true,
    });
  });

  it('needs an episode for "used"', () => {
    expect(() => applyReviewChange(NEW_REVIEW, { state: 'used' }, 'owner')).toThrow(/episode/);
    expect(applyReviewChange(NEW_REVIEW, { state: 'used', episode: '#130' }, 'owner').state).toBe(
      'used',
    );
  });

  // Every pair of states, for each role: the owner decides everything; an editor's one move is
  // marking an approved clip as used.
  const moves = REVIEW_STATES.flatMap((from) =>
    REVIEW_STATES.filter((to) => to !== from).map((to) => [from, to] as const),
  );
  it.each(moves)('%s → %s: the owner may, an editor only approved → used', (from, to) => {
    const current = { state: from, starred: false, episode: 'Folge 1' } as const;
    expect(applyReviewChange(current, { state: to }, 'owner').state).toBe(to);
    const editor = () => applyReviewChange(current, { state: to }, 'editor');
    if (from === 'approved' && to === 'used') expect(editor().state).toBe('used');
    else expect(editor).toThrow(/owner/);
    expect(REVIEW_TRANSITIONS[from][to]).toContain('owner');
  });

  it('lets an editor tag, star and note, but not move the episode of a used clip', () => {
    const used = { state: 'used', starred: false, episode: 'Folge 1' } as const;
    expect(applyReviewChange(used, { starred: true, note: 'gut' }, 'editor').starred).toBe(true);
    expect(() => applyReviewChange(used, { episode: 'Folge 2' }, 'editor')).toThrow(/owner/);
    expect(applyReviewChange(used, { episode: 'Folge 2' }, 'owner').episode).toBe('Folge 2');
    const rejected = { state: 'rejected', starred: false } as const;
    expect(applyReviewChange(rejected, { episode: 'Folge 3' }, 'editor').episode).toBe('Folge 3');
    expect(() =>
      applyReviewChange(rejected, { state: 'used', episode: 'Folge 3' }, 'editor'),
    ).toThrow(/owner/);
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
