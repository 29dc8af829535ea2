import net from "node:net";

export function addressFamily(address: string): "ipv4" | "ipv6" | undefined {
  const v = net.isIP(address);
  return v === 4 ? "ipv4" : v === 6 ? "ipv6" : undefined;
}

/**
 * `10.0.0.0/8, 192.168.1.7, ::1` → the entries, each an IP address or a CIDR block; throws on anything else,
 * naming the option (`name`) the list came from.
 */
export function parseAddressList(text: string, name: string): string[] {
  const entries = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const entry of entries) {
    const [address = "", prefix, extra] = entry.split("/");
    const fam = addressFamily(address);
    const max = fam === "ipv4" ? 32 : 128;
    const bits = prefix === undefined ? max : Number(prefix);
    if (!fam || extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > max || (prefix !== undefined && !/^\d+$/.test(prefix))) {
      throw new Error(`${name}: '${entry}' is not an IP address or CIDR block`);
    }
  }
  return entries;
}

/** The entries of a parsed list as a BlockList (IPv4 entries also match IPv4-mapped IPv6 addresses). */
export function addressBlockList(entries: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const fam = addressFamily(address);
    if (!fam) throw new Error(`'${entry}' is not an IP address or CIDR block`);
    if (prefix === undefined) list.addAddress(address, fam);
    else list.addSubnet(address, Number(prefix), fam);
  }
  return list;
}
