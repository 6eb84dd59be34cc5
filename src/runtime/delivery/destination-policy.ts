import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

/** How to allow destinations on this host or a private network; every refusal ends with it. */
export const ALLOW_PRIVATE_HINT =
  'to deliver to this host or a private network, set PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS=1 or start with serve --allow-private-destinations';

/**
 * Why an IP address is not a public unicast address, as ipaddr.js names its range (loopback, private,
 * linkLocal, carrierGradeNat, uniqueLocal, unspecified, multicast, broadcast, reserved, ...); undefined when
 * it is public. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function nonPublicRange(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return 'unparseable';
  const parsed = ipaddr.process(bare);
  const range = parsed.range();
  // ::/96 (IPv4-compatible, deprecated by RFC 4291) carries an IPv4 address that ipaddr.js calls unicast:
  // ::7f00:1 would otherwise pass as public while a stack may route it to 127.0.0.1.
  if (range === 'unicast' && parsed.kind() === 'ipv6' && parsed.toByteArray().slice(0, 12).every((byte) => byte === 0)) return 'IPv4-compatible (::/96, deprecated)';
  return range === 'unicast' ? undefined : range;
}

/** The refusal of a destination address, in words a person can act on. */
export function refusalMessage(host: string, range: string, address?: string): string {
  const where = address && address !== host ? `${host} resolves to ${address}, a ${range} address` : `${host} is a ${range} address`;
  return `destination refused: ${where}; loopback, private, link-local and other non-public addresses are refused by default; ${ALLOW_PRIVATE_HINT}`;
}

/**
 * What is wrong with a destination URL when a trigger is created, or undefined when it may be used. The URL is
 * normalised by WHATWG URL first, so decimal, hex and octal IPv4 spellings are judged as the address they are.
 * Names other than `localhost` are judged at connect time, on the address they resolve to.
 */
export function destinationProblem(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'destination.url must be an absolute http(s) URL, e.g. https://hook.eu1.make.com/…';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `destination.url must be an http(s) URL, not ${url.protocol}`;
  // fetch refuses a URL with credentials, so every delivery would fail; deliveries are signed instead.
  if (url.username !== '' || url.password !== '') {
    return 'destination.url must not carry a user name or password (user:pw@host): deliveries cannot send them, so every attempt would fail; the destination can verify the webhook-signature header instead';
  }
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // RFC 6761: localhost and its subdomains are loopback whatever DNS says.
  if (/(^|\.)localhost\.?$/i.test(host)) return refusalMessage(url.hostname, 'loopback');
  const range = isIP(host) ? nonPublicRange(host) : undefined;
  return range ? refusalMessage(url.hostname, range) : undefined;
}

/** A connect-time refusal; its message carries the reason, the same whether or not anything listens there. */
export class DestinationRefusedError extends Error {
  readonly code = 'EDESTINATIONREFUSED';
}

/** A DNS lookup that fails when any address the name resolves to is not public. */
function checkedLookup(lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses: LookupAddress[] = Array.isArray(address) ? address : [{ address, family: family ?? 4 }];
      for (const candidate of addresses) {
        const range = nonPublicRange(candidate.address);
        if (range) return callback(new DestinationRefusedError(refusalMessage(hostname, range, candidate.address)), address, family);
      }
      callback(null, address, family);
    });
  };
}

/**
 * The dispatcher deliveries go through. Unless private destinations are allowed, the address is checked
 * before any connection is opened: an IP literal as it is, a name on the addresses the lookup returns, which
 * are the addresses the socket then connects to (no second lookup, so no DNS-rebinding window).
 */
export function deliveryAgent(options: { allowPrivate: boolean; connectTimeoutMs: number; lookup?: LookupFunction }): Agent {
  const lookup = options.lookup ?? (dnsLookup as LookupFunction);
  if (options.allowPrivate) return new Agent({ connect: { timeout: options.connectTimeoutMs, lookup } });
  const connector = buildConnector({ timeout: options.connectTimeoutMs, lookup: checkedLookup(lookup) } as buildConnector.BuildOptions);
  return new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
      const range = isIP(host) ? nonPublicRange(host) : undefined;
      if (range) {
        callback(new DestinationRefusedError(refusalMessage(connectOptions.hostname, range)), null);
        return;
      }
      connector(connectOptions, callback);
    },
  });
}
