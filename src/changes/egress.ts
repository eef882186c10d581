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

/** An IPv6 address that carries an IPv4 one (mapped, or NAT64 well-known prefix): the IPv4 one decides. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
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
    if (this.allowed.check(a, family)) return undefined;
    if (!this.denied.check(a, family)) return undefined;
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
