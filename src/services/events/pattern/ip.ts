/**
 * IP addresses and CIDR blocks as event-ruler reads them: only text shaped like an IPv4 or IPv6 literal counts as an
 * address (never a host name), and a block is a byte range compared with the address's bytes.
 */
import { PatternError } from "./json-reader.js";

// Fixed shapes, not built from input; both are linear.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export const looksLikeIp = (text: string): boolean => IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);

/** The address's 4 or 16 bytes; undefined if the text is not an address literal. */
export function ipBytes(text: string): Uint8Array | undefined {
  if (IPV4_SHAPE.test(text)) return ipv4(text);
  if (IPV6_SHAPE.test(text)) return ipv6(text);
  return undefined;
}

function ipv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // Java refuses leading zeros as ambiguous (octal or decimal), so AWS does not take them as an address.
    if (part.length > 3 || (part.length > 1 && part.startsWith("0"))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function ipv6(text: string): Uint8Array | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string): string[] | undefined => {
    if (half === "") return [];
    const list = half.split(":");
    return list.every((g) => g.length >= 1 && g.length <= 4) ? list : undefined;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<string>(missing).fill("0"), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >>> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export const sameIp = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && compare(a, b) === 0;

export interface IpRange {
  low: Uint8Array;
  high: Uint8Array;
}

export const inRange = (range: IpRange, ip: Uint8Array): boolean =>
  ip.length === range.low.length && compare(range.low, ip) <= 0 && compare(ip, range.high) <= 0;

/** Parses `address/bits`; AWS reports these refusals without a location. */
export function parseCidr(text: string): IpRange {
  const parts = text.split("/");
  // Java's split drops trailing empty strings: "10.0.0.0/" has one part.
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length !== 2) throw new PatternError("Malformed CIDR, one '/' required");
  const bitsText = parts[1]!;
  const bits = Number(bitsText);
  if (!/^[+-]?[0-9]+$/.test(bitsText) || bits > 2 ** 31 - 1 || bits < -(2 ** 31)) {
    throw new PatternError("Malformed CIDR, mask bits must be an integer");
  }
  if (bits < 0) throw new PatternError("Malformed CIDR, mask bits must not be negative");
  const address = parts[0]!;
  if (!looksLikeIp(address)) throw new PatternError(`Nonstandard IP address: ${address}`);
  const low = ipBytes(address);
  if (!low) throw new PatternError(`Invalid IP address: ${address}`);
  if (low.length === 4 && bits > 31) throw new PatternError("IPv4 mask bits must be < 32");
  if (low.length === 16 && bits > 127) throw new PatternError("IPv6 mask bits must be < 128");
  // As event-ruler does, the block runs from the address as written (host bits kept) to it with all host bits set.
  const high = low.slice();
  let hostBits = low.length * 8 - bits;
  for (let i = high.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    high[i] = hostBits >= 8 ? 0xff : high[i]! | ((1 << hostBits) - 1);
  }
  return { low, high };
}
