import { BlockList, isIPv6 } from 'node:net';
import { ipKeyGenerator } from 'express-rate-limit';

/**
 * Whom the upload limits count as one client. IPv4: the address (carrier-grade NAT puts many
 * listeners behind one, which the budgets are sized for). IPv6: the /64 prefix, which is one
 * subscriber's network; counting single IPv6 addresses would let one home use millions.
 */
export const IPV6_PREFIX_LENGTH = 64;

export function clientGroup(ip: string | undefined): string {
  return ip ? ipKeyGenerator(ip, IPV6_PREFIX_LENGTH) : 'unknown';
}

/** RATE_LIMIT_EXEMPT: addresses and CIDR ranges (a studio, a known proxy) no limit counts. */
export function exemptions(entries: readonly string[]): (ip: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (ip) => {
    if (!ip) return false;
    // An IPv4 client seen through a dual-stack socket arrives as ::ffff:a.b.c.d.
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
    return v4 ? list.check(v4, 'ipv4') : list.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4');
  };
}
