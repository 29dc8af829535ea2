import net from "node:net";
import { addressBlockList, addressFamily, parseAddressList } from "./address-list.js";

/**
 * X-Forwarded-For, believed only from proxies the operator trusts: otherwise any caller could write any
 * sourceIPAddress into its own CloudTrail records.
 */
export interface TrustedProxies {
  /** True when `address` (a plain IPv4 or IPv6 address) is a trusted proxy. */
  has(address: string): boolean;
}

export const NO_TRUSTED_PROXIES: TrustedProxies = { has: () => false };

/** An address as CloudTrail shows it: IPv4-mapped IPv6 becomes plain IPv4; anything else unchanged. */
export function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** `10.0.0.0/8, 192.168.1.7, ::1` → the entries, each an IP address or a CIDR block; throws on anything else. */
export function parseTrustedProxies(text: string): string[] {
  return parseAddressList(text, "CAIRN_TRUSTED_PROXIES");
}

export function trustedProxies(entries: readonly string[]): TrustedProxies {
  if (entries.length === 0) return NO_TRUSTED_PROXIES;
  const list = addressBlockList(entries);
  return {
    has(address) {
      const fam = addressFamily(address);
      return fam !== undefined && list.check(address, fam);
    },
  };
}

/** One X-Forwarded-For hop as an address: `1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`, `::1`; undefined if it is none. */
function hopAddress(hop: string): string | undefined {
  let h = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
  if (bracketed) h = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(h)) h = h.slice(0, h.indexOf(":"));
  return addressFamily(h) ? plainAddress(h) : undefined;
}

/**
 * The caller's address: the socket peer, unless the peer is a trusted proxy; then X-Forwarded-For is walked from
 * the right (nearest hop) past every trusted proxy, and the first address not trusted is the caller's.
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  let client = plainAddress(peer);
  if (forwardedFor === undefined || !trusted.has(client)) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const address = hopAddress(hops[i]!);
    if (!address) break; // a malformed hop: what lies beyond it cannot be trusted
    client = address;
    if (!trusted.has(address)) break;
  }
  return client;
}
