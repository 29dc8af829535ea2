/**
 * Which endpoints Cairn's health checks may reach. Route 53 refuses endpoints in local, private, non-routable or
 * multicast ranges (RFC 5735, RFC 6598, RFC 5156); Cairn does the same by default, so that a caller allowed to
 * register instances cannot use the prober to scan loopback, cloud metadata (169.254.169.254) or private networks.
 * The operator may allow ranges (`--health-check-targets`); Cairn's own listening ports are refused even then.
 */
import net from "node:net";
import os from "node:os";
import { addressBlockList, addressFamily } from "../server/address-list.js";

/** The ranges refused by default and what each is, for the error message. */
const REFUSED_RANGES: readonly (readonly [cidr: string, what: string])[] = [
  ["0.0.0.0/8", "'this network'"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared address space (carrier-grade NAT)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "IETF protocol assignments"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "6to4 relay anycast"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
  ["::1/128", "loopback"],
  ["::/96", "unspecified or IPv4-compatible"],
  ["::ffff:0:0/96", "IPv4-mapped"],
  // NAT64, Teredo and 6to4 addresses lead to embedded IPv4 addresses, private ones included.
  ["64:ff9b::/96", "NAT64"],
  ["100::/64", "discard-only"],
  ["2001::/32", "Teredo"],
  ["2001:10::/28", "ORCHID"],
  ["2001:db8::/32", "documentation"],
  ["2002::/16", "6to4"],
  ["fc00::/7", "unique local (private)"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local"],
  ["ff00::/8", "multicast"],
];

const refused = REFUSED_RANGES.map(([cidr, what]) => ({ cidr, what, ipv6: cidr.includes(":"), list: addressBlockList([cidr]) }));

/** Addresses that reach this machine whatever its interfaces: loopback and "any". */
const THIS_MACHINE = addressBlockList(["127.0.0.0/8", "0.0.0.0/32", "::1/128", "::/128"]);

export interface HealthCheckTargetOptions {
  /** Ranges the operator allows although the default refuses them (parsed `--health-check-targets`). */
  allowed: readonly string[];
  /** Cairn's own listening ports (API, DNS), known once it listens. */
  ownPorts: () => readonly number[];
}

export class HealthCheckTargets {
  private readonly allowed: net.BlockList;
  /** This machine's interface addresses: a probe of one of them on an own port reaches Cairn itself. */
  private readonly local: net.BlockList;

  constructor(private readonly options: HealthCheckTargetOptions) {
    this.allowed = addressBlockList(options.allowed);
    const interfaces = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
    this.local = addressBlockList(interfaces.map((i) => i.address.split("%")[0]!).filter((a) => addressFamily(a) !== undefined));
  }

  /** Why Cairn does not check `address:port`, as a message naming the rule; undefined when it may. */
  refusal(address: string, port: number): string | undefined {
    const fam = addressFamily(address);
    if (!fam) return `Cairn does not check the health of '${address}': it is not an IP address.`;
    // A zone index (fe80::1%eth0) names a link on this machine: a scoped address is local by definition.
    if (address.includes("%")) return `Cairn does not check the health of ${address}: scoped (link-local) addresses are refused.`;
    const own = this.options.ownPorts();
    if (own.includes(port) && (THIS_MACHINE.check(address, fam) || this.local.check(address, fam))) {
      return `Cairn does not check the health of ${address} port ${port}: that is one of Cairn's own listening ports.`;
    }
    if (this.allowed.check(address, fam)) return undefined;
    // An IPv6 block also matches IPv4 addresses (as IPv4-mapped ones), so those are only checked against IPv6 addresses.
    const range = refused.find((r) => (fam === "ipv6" || !r.ipv6) && r.list.check(address, fam));
    if (!range) return undefined;
    return (
      `Cairn does not check the health of ${address}: it is in the ${range.what} range ${range.cidr}. Like Route 53, Cairn checks no ` +
      `endpoint in local, private, non-routable or multicast ranges unless the operator allows the range with --health-check-targets.`
    );
  }
}
