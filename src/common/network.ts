import { isIP, isIPv4, isIPv6 } from 'node:net';
import { Address6 } from 'ip-address';

/** An IP address or a CIDR network (`10.20.0.0/16`, `fd00::/8`); a bare address is its own /32 or /128. */
export function parseNetwork(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || !address) return undefined;
  const v = isIP(address);
  if (!v) return undefined;
  const max = v === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * The key of a client address: an IPv4 address as it is (also when written as IPv4-mapped IPv6), an IPv6
 * address by its /56 network, since one subscriber is commonly given a whole /56 (or /48) and could
 * otherwise take a fresh address for every request. The rate limits and the failed-login throttle count by it.
 */
export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  // What a dual-stack listener reports for every IPv4 client.
  if (ip.startsWith('::ffff:') && isIPv4(ip.slice(7))) return ip.slice(7);
  const address = new Address6(ip);
  if (address.isMapped4()) return address.to4().correctForm();
  return new Address6(`${address.correctForm()}/56`).networkForm();
}
