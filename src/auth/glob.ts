/**
 * IAM wildcards without backtracking: policies are written by callers, so a pattern such as `*a*a*…*b` must not
 * cost exponential time as it does in a backtracking regex. The pattern is cut at its stars; the first piece must
 * start the value, the last must end it, and each piece between is taken at its leftmost place after the one
 * before (taking it later never helps a later piece). Pieces without `?` are found with indexOf, pieces with `?`
 * with a bit-parallel scan (Shift-And). Each piece is searched for in the stretch of the value after the one before,
 * so a match costs O(pattern + value × ⌈longest piece / 32⌉) at worst, whatever the number of stars.
 */

/** Stand-ins for `*` and `?` that must match literally (they came from a policy variable's value or `${*}`). */
export const LITERAL_STAR = "\uE000";
export const LITERAL_QUESTION = "\uE001";

/** A piece of the pattern between stars. */
interface Piece {
  /** The piece with its stand-ins made literal; a `?` position holds `?` but matches any character. */
  text: string;
  /** Where the piece has `?`; undefined for a literal piece. */
  any?: Uint8Array;
  /** Built when the piece is first searched for. */
  masks?: Masks;
}

interface Compiled {
  pieces: Piece[];
  /** Total length of the pieces: a shorter value cannot match. */
  minLength: number;
}

const cache = new Map<string, Compiled>();

function compile(pattern: string): Compiled {
  const pieces = pattern.split("*").map((raw): Piece => {
    const text = raw.replaceAll(LITERAL_STAR, "*").replaceAll(LITERAL_QUESTION, "?");
    if (!raw.includes("?")) return { text };
    const any = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) if (raw[i] === "?") any[i] = 1;
    return { text, any };
  });
  return { pieces, minLength: pieces.reduce((n, p) => n + p.text.length, 0) };
}

function matchesAt(piece: Piece, value: string, at: number): boolean {
  if (!piece.any) return value.startsWith(piece.text, at);
  for (let i = 0; i < piece.text.length; i++) {
    if (!piece.any[i] && value.charCodeAt(at + i) !== piece.text.charCodeAt(i)) return false;
  }
  return true;
}

/** Shift-And masks of a piece with `?`: bit j of a character's mask says the piece's character j accepts it. */
interface Masks {
  /** By character code below 128 (policies and ARNs are mostly ASCII); undefined: only the `?` positions. */
  ascii: (Uint32Array | undefined)[];
  other: Map<number, Uint32Array>;
  /** The `?` positions alone: the mask of a character the piece does not have. */
  any: Uint32Array;
}

function buildMasks(piece: Piece & { any: Uint8Array }): Masks {
  const any = new Uint32Array((piece.text.length + 31) >>> 5);
  for (let i = 0; i < piece.text.length; i++) if (piece.any[i]) any[i >>> 5]! |= 1 << (i & 31);
  const masks: Masks = { ascii: new Array(128), other: new Map(), any };
  for (let i = 0; i < piece.text.length; i++) {
    if (piece.any[i]) continue;
    const code = piece.text.charCodeAt(i);
    let mask = code < 128 ? masks.ascii[code] : masks.other.get(code);
    if (!mask) {
      mask = any.slice();
      if (code < 128) masks.ascii[code] = mask;
      else masks.other.set(code, mask);
    }
    mask[i >>> 5]! |= 1 << (i & 31);
  }
  return masks;
}

/** The leftmost start ≥ `from` where `piece` lies wholly before `end`; -1 if none. */
function find(piece: Piece, value: string, from: number, end: number): number {
  const length = piece.text.length;
  if (length === 0) return from;
  if (!piece.any) {
    const at = value.indexOf(piece.text, from);
    return at >= 0 && at + length <= end ? at : -1;
  }
  const masks = (piece.masks ??= buildMasks(piece as Piece & { any: Uint8Array }));
  const words = masks.any.length;
  const state = new Uint32Array(words);
  const lastWord = (length - 1) >>> 5;
  const lastBit = 1 << ((length - 1) & 31);
  for (let i = from; i < end; i++) {
    const code = value.charCodeAt(i);
    const mask = (code < 128 ? masks.ascii[code] : masks.other.get(code)) ?? masks.any;
    // Bit j of the state: the piece's first j+1 characters end at i.
    let carry = 1;
    for (let w = 0; w < words; w++) {
      const word = state[w]!;
      state[w] = ((word << 1) | carry) & mask[w]!;
      carry = word >>> 31;
    }
    if (state[lastWord]! & lastBit) return i - length + 1;
  }
  return -1;
}

/** IAM wildcards: `*` any run of characters (including `/` and `:`), `?` exactly one. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (ignoreCase) {
    pattern = pattern.toLowerCase();
    value = value.toLowerCase();
  }
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = compile(pattern);
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, compiled);
  }
  const { pieces, minLength } = compiled;
  if (value.length < minLength) return false;
  const first = pieces[0]!;
  if (pieces.length === 1) return value.length === first.text.length && matchesAt(first, value, 0);
  if (!matchesAt(first, value, 0)) return false;
  const last = pieces[pieces.length - 1]!;
  const end = value.length - last.text.length;
  if (!matchesAt(last, value, end)) return false;
  let at = first.text.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = find(pieces[i]!, value, at, end);
    if (found < 0) return false;
    at = found + pieces[i]!.text.length;
  }
  return at <= end;
}
