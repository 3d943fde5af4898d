import { clientGroup, exemptions } from '../../src/http/limits/client-group';

describe('clientGroup', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'], // IPv4 through a dual-stack socket
    ['2001:db8:1234:5678:aaaa::1', '2001:db8:1234:5678::/64'],
    ['2001:db8:1234:5678:ffff:ffff:ffff:ffff', '2001:db8:1234:5678::/64'],
    ['2001:db8:1234:5679::1', '2001:db8:1234:5679::/64'],
  ])('%s counts as %s', (ip, group) => {
    expect(clientGroup(ip)).toBe(group);
  });
});

describe('exemptions', () => {
  const exempt = exemptions(['10.0.0.0/8', '198.51.100.20', '2001:db8:aa::/48']);
  it.each([
    ['10.1.2.3', true],
    ['::ffff:10.1.2.3', true],
    ['11.1.2.3', false],
    ['198.51.100.20', true],
    ['198.51.100.21', false],
    ['2001:db8:aa:1::5', true],
    ['2001:db8:ab::5', false],
    [undefined, false],
  ])('%s exempt: %s', (ip, expected) => {
    expect(exempt(ip)).toBe(expected);
  });

  it('exempts nobody when none are configured', () => {
    expect(exemptions([])('10.1.2.3')).toBe(false);
  });
});
