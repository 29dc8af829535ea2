/**
 * EventBridge `wildcard` values: `*` stands for any run of characters, `\*` and `\\` for a literal star and
 * backslash, nothing else is special. Matching never backtracks: the value must start with the first piece and end
 * with the last, and each piece between is taken at its leftmost place after the one before (a later place never
 * helps a later piece), so a match costs O(value × pattern) at worst whatever the number of stars.
 * (src/auth/glob.ts does the same for IAM but also gives `?` a meaning, which EventBridge does not.)
 */

/** Why event-ruler refuses a wildcard value, with its byte position in the value as it quotes it (`"…"`). */
export function wildcardError(text: string): string | undefined {
  // event-ruler scans the UTF-8 bytes of the value wrapped in quotes, so positions count from the opening quote.
  const bytes = Buffer.from(`"${text}"`, "utf8");
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x2a) {
      if (bytes[i + 1] === 0x2a) return `Consecutive wildcard characters at pos ${i}`;
    } else if (bytes[i] === 0x5c) {
      if (bytes[i + 1] !== 0x2a && bytes[i + 1] !== 0x5c) return `Invalid escape character at pos ${i}`;
      i++;
    }
  }
  return undefined;
}

/** The literal pieces between unescaped stars (the text must have passed `wildcardError`). */
function pieces(text: string): string[] {
  const out: string[] = [];
  let piece = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\") piece += text[++i]!;
    else if (ch === "*") {
      out.push(piece);
      piece = "";
    } else piece += ch;
  }
  out.push(piece);
  return out;
}

export function wildcardMatcher(text: string): (value: string) => boolean {
  const parts = pieces(text);
  const minLength = parts.reduce((n, p) => n + p.length, 0);
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (parts.length === 1) return (value) => value === first;
  return (value) => {
    if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false;
    const end = value.length - last.length;
    let at = first.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const found = value.indexOf(parts[i]!, at);
      if (found < 0 || found + parts[i]!.length > end) return false;
      at = found + parts[i]!.length;
    }
    return true;
  };
}
