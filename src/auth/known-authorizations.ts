import { BoundedMap } from "../bounded-map.js";

/**
 * What SigV4 parsed out of Authorization headers, by the header's text up to its signature. A client's header is the
 * same from call to call but for the signature (`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=<hex>`),
 * and parsing is a pure function of the text: a header whose beginning is known is not split and checked again.
 * Verification itself (dates, scope, the signature) runs in full on every request.
 *
 * Only beginnings of headers that verified are kept (no unauthenticated caller can fill this), at most MAX of them,
 * the oldest going first.
 */
const SIGNATURE = "Signature=";
const MAX = 256;

export interface KnownParts<T> {
  /** The header's text up to and including its only `Signature=`. */
  prefix: string;
  parts: T;
}

export class KnownAuthorizations<T> {
  private readonly byPrefix: BoundedMap<string, T>;

  constructor(max = MAX) {
    this.byPrefix = new BoundedMap(max);
  }

  /**
   * The parts known for this header's beginning, and its signature: only when the header ends in `Signature=` and
   * one bare value (no comma, space or tab), which is then the signature a full parse would find.
   */
  lookup(authorization: string): { parts: T; signature: string } | undefined {
    const cut = signatureStart(authorization);
    if (cut === -1) return undefined;
    const parts = this.byPrefix.get(authorization.slice(0, cut));
    return parts === undefined ? undefined : { parts, signature: authorization.slice(cut) };
  }

  /**
   * The prefix under which a fully parsed header's parts may be kept, if any: `Signature=` must occur once, followed by
   * exactly the signature the parse found, and nothing after it.
   */
  prefixOf(authorization: string, signature: string): string | undefined {
    const cut = signatureStart(authorization);
    if (cut === -1 || authorization.indexOf(SIGNATURE) !== cut - SIGNATURE.length || authorization.slice(cut) !== signature) return undefined;
    return authorization.slice(0, cut);
  }

  /** Called once a request with this header verified. */
  remember(prefix: string, parts: T): void {
    if (!this.byPrefix.has(prefix)) this.byPrefix.set(prefix, parts);
  }

  get size(): number {
    return this.byPrefix.size;
  }
}

/** Index just past the last `Signature=`, when one bare value follows it up to the end; -1 otherwise. */
function signatureStart(authorization: string): number {
  const at = authorization.lastIndexOf(SIGNATURE);
  if (at <= 0) return -1;
  const cut = at + SIGNATURE.length;
  if (cut === authorization.length) return -1;
  for (let k = cut; k < authorization.length; k++) {
    const c = authorization.charCodeAt(k);
    if (c === 44 /* , */ || c === 32 || c === 9) return -1;
  }
  return cut;
}
