/**
 * Where webhook deliveries may go. A subscriber chooses the URL, so without a rule the server would POST
 * on its behalf to its own loopback, the cloud metadata service or the internal network, and the
 * delivery outcome ("the receiver answered 404") would map that network for it. Receivers must resolve
 * to public addresses only, unless an operator lists a network in `changes.webhook_allow_networks`.
 *
 * The rule is applied twice: to the URL when subscribing (literal addresses and `localhost`), and to
 * every address the receiver's name resolves to at connection time (`lookup` below), so a name that
 * later resolves to an internal address (DNS rebinding) is refused too.
 */
import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { parseNetwork } from '../common/network';

/** Special-purpose ranges (IANA IPv4/IPv6 special-purpose address registries) that are not the internet. */
const NON_PUBLIC: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata services
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.0.2.0', 24, 'ipv4'], // documentation
  ['192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['198.51.100.0', 24, 'ipv4'], // documentation
  ['203.0.113.0', 24, 'ipv4'], // documentation
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'], // unspecified
  ['::1', 128, 'ipv6'], // loopback
  ['64:ff9b:1::', 48, 'ipv6'], // local-use IPv4/IPv6 translation
  ['100::', 64, 'ipv6'], // discard-only
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad allowed), or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (p: string | undefined) => (p ? p.split(':').map((h) => parseInt(h, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * An IPv6 address that carries an IPv4 one, which then decides: IPv4-mapped (::ffff:0:0/96), NAT64's well-known
 * prefix (64:ff9b::/96), IPv4-compatible (::/96, deprecated by RFC 4291 §2.5.5.1 but still routed to IPv4 by
 * some stacks; :: and ::1 fall in 0.0.0.0/8 and stay refused) and 6to4 (2002::/16, RFC 3056: the relay
 * delivers to the IPv4 address in bits 16-47).
 */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g || g.length !== 8) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && (g[5] === 0xffff || g[5] === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return undefined;
}

export class EgressPolicy {
  private readonly denied = new BlockList();
  private readonly allowed = new BlockList();

  /** `allowNetworks`: CIDRs (`10.20.0.0/16`, `fd00::/8`) or single addresses receivers may be in although not public. */
  constructor(readonly allowNetworks: readonly string[] = []) {
    for (const [net, prefix, family] of NON_PUBLIC) this.denied.addSubnet(net, prefix, family);
    for (const n of allowNetworks) {
      const parsed = parseNetwork(n);
      if (!parsed) throw new Error(`"${n}" is not an IP address or a CIDR network such as 10.20.0.0/16`);
      this.allowed.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** Why a receiver may not be at this IP address, or undefined when it may. */
  refusal(address: string): string | undefined {
    const v4 = embeddedIpv4(address);
    const family = v4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : 'ipv4';
    const a = v4 ?? address;
    // An operator's allowed IPv6 network (e.g. ::1) is allowed as written, even when its IPv4 reading is not.
    if (this.allowed.check(a, family) || (v4 !== undefined && this.allowed.check(address, 'ipv6'))) return undefined;
    if (!this.denied.check(a, family) && !(v4 !== undefined && this.denied.check(address, 'ipv6'))) return undefined;
    return `${address} is not a public address (loopback, private, link-local or reserved); webhooks may not deliver there unless changes.webhook_allow_networks lists its network`;
  }

  /** Why a URL's host may not receive deliveries, judged without resolving names; undefined when it may. */
  urlRefusal(url: URL): string | undefined {
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
    if (isIP(host)) return this.refusal(host);
    if (host === 'localhost' || host.endsWith('.localhost')) return this.refusal('127.0.0.1');
    return undefined;
  }

  /** A `lookup` for node's HTTP clients: resolves as usual, then fails if any resolved address is refused. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = list.map((a) => this.refusal(a.address)).find((r) => r !== undefined);
      if (refused) return callback(Object.assign(new Error(refused), { code: 'EWEBHOOKEGRESS' }), '', 0);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * POSTs a body to a receiver under the policy: no redirects are followed, the connection goes only to
 * addresses the policy allows, and the whole exchange ends within `timeoutMs`. Resolves to the status.
 */
export function postUnderPolicy(policy: EgressPolicy, target: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const url = new URL(target);
  const refused = policy.urlRefusal(url);
  if (refused) return Promise.reject(new Error(refused));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, lookup: policy.lookup, signal: AbortSignal.timeout(timeoutMs), agent: false },
      (res) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.on('error', (e) => reject(e.name === 'AbortError' ? new Error(`no answer within ${timeoutMs} ms`) : e));
    req.end(body);
  });
}
