import { ACTIVE_WINDOW_MS, UploadTraffic } from '../../src/http/limits/upload-traffic';

function traffic(rules = { maxActivePerGroup: 2, minBytesPerSecond: 1000, graceMs: 30_000 }) {
  const clock = { t: 0 };
  return { clock, traffic: new UploadTraffic(rules, () => clock.t) };
}

describe('UploadTraffic', () => {
  it('caps the uploads that move, per group', () => {
    const { traffic: t } = traffic();
    const [a, b, c, other] = [{}, {}, {}, {}];
    expect(t.admit(a, 'g')).toBe(true);
    t.received(a, 64 * 1024);
    expect(t.admit(b, 'g')).toBe(true);
    t.received(b, 64 * 1024);
    expect(t.admit(c, 'g')).toBe(false);
    expect(t.admit(other, 'h')).toBe(true); // another client is not affected
    t.finish(a);
    expect(t.admit(c, 'g')).toBe(true);
  });

  it('does not count crawling uploads against the cap, however many there are', () => {
    const { clock, traffic: t } = traffic();
    const crawlers = Array.from({ length: 30 }, () => ({}));
    for (const crawler of crawlers) expect(t.admit(crawler, 'g')).toBe(true);
    for (let s = 0; s < 12; s += 2) {
      clock.t = s * 1000;
      for (const crawler of crawlers) t.received(crawler, 1); // one byte every two seconds
    }
    expect(t.activeIn('g')).toBe(0);
    expect(t.admit({}, 'g')).toBe(true);
  });

  it('keeps counting a moving upload across activity windows', () => {
    const { clock, traffic: t } = traffic();
    const a = {};
    t.admit(a, 'g');
    t.received(a, 5000);
    clock.t = ACTIVE_WINDOW_MS + 10; // a new window has begun, nothing in it yet
    expect(t.activeIn('g')).toBe(1);
    clock.t = 3 * ACTIVE_WINDOW_MS;
    expect(t.activeIn('g')).toBe(0);
  });

  it('calls an upload too slow only after a full window below the minimum rate', () => {
    const { clock, traffic: t } = traffic();
    const [slow, fine] = [{}, {}];
    t.admit(slow, 'g', { capped: false });
    t.admit(fine, 'g', { capped: false });
    for (let s = 1; s <= 30; s++) {
      clock.t = s * 1000;
      t.received(slow, 900);
      t.received(fine, 1100);
      if (s < 30) expect(t.tooSlow(slow)).toBe(false);
    }
    expect(t.tooSlow(slow)).toBe(true);
    expect(t.tooSlow(fine)).toBe(false);
  });
});
