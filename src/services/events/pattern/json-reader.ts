/**
 * A pull reader of JSON text that stops, fails and reports positions exactly where AWS's rule compiler does.
 * EventBridge compiles patterns with event-ruler on a Jackson stream parser and returns Jackson's message verbatim,
 * location included ("…\n at [Source: (String)"…"; line: 1, column: 11]"), so the reader mirrors Jackson's
 * observable behaviour: after a field name it has already read the colon and the start of the value (a whole number
 * or literal, only the opening quote of a string), and a string's text is read only when asked for.
 */

export type Token =
  | "startObject"
  | "endObject"
  | "startArray"
  | "endArray"
  | "fieldName"
  | "string"
  | "int"
  | "float"
  | "true"
  | "false"
  | "null"
  | "eof";

/** A pattern AWS refuses; the message is the "Reason" it reports. */
export class PatternError extends Error {}

interface Scope {
  kind: "Object" | "Array";
  entries: number;
  line: number;
  column: number;
}

const VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
/** Longest stretch of the source Jackson quotes in a location. */
const SNIPPET = 500;
/** Jackson's default limit on nested objects and arrays (it also keeps the compiler's recursion shallow). */
const MAX_DEPTH = 1000;

const isIdentifierStart = (ch: string): boolean => /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u.test(ch);
const isIdentifierPart = (ch: string): boolean => /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Sc}\p{Pc}]/u.test(ch);
const isIsoControl = (code: number): boolean => code < 32 || (code >= 127 && code < 160);
const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** Jackson's description of a character in its messages. */
function charDesc(code: number): string {
  if (isIsoControl(code)) return `(CTRL-CHAR, code ${code})`;
  const ch = String.fromCharCode(code);
  if (code > 255) return `'${ch}' (code ${code} / 0x${code.toString(16)})`;
  return `'${ch}' (code ${code})`;
}

export class JsonReader {
  private ptr = 0;
  private line = 0;
  private lineStart = 0;
  private readonly scopes: Scope[] = [];
  private current: Token = "eof";
  /** The value token already read after a field name, returned by the next call. */
  private pending: Token | undefined;
  /** Where that value started, for the scope it opens. */
  private pendingLine = 0;
  private pendingColumn = 0;
  /** The reader stands just past the opening quote of a string whose text has not been read. */
  private stringOpen = false;
  private text = "";
  /** The name of the last field. */
  name = "";

  constructor(private readonly source: string) {}

  next(): Token {
    if (this.current === "fieldName" && this.pending) return this.afterName();
    if (this.stringOpen) this.readString("string value");
    let code = this.skipSpace();
    if (code < 0) return this.endOfInput();
    if (code === 93 || code === 125) return this.close(code);
    const scope = this.scopes[this.scopes.length - 1];
    if (scope && scope.entries++ > 0) {
      if (code !== 44) this.unexpected(code, `was expecting comma to separate ${scope.kind} entries`);
      code = this.skipSpace();
      if (code < 0) this.fail(`Unexpected end-of-input within/between ${scope.kind} entries`);
    }
    if (scope?.kind === "Object") {
      if (code !== 34) this.unexpected(code, "was expecting double-quote to start field name");
      this.name = this.readString("name");
      this.skipColon(scope);
      code = this.skipSpace();
      if (code < 0) this.fail(`Unexpected end-of-input within/between ${scope.kind} entries`);
      this.pendingLine = this.line;
      this.pendingColumn = this.ptr - this.lineStart;
      this.pending = this.value(code, false);
      return (this.current = "fieldName");
    }
    const line = this.line;
    const column = this.ptr - this.lineStart;
    const token = this.value(code, true);
    if (token === "startObject" || token === "startArray") this.open(token, line, column);
    return (this.current = token);
  }

  /** Jackson's getText(): a string's text (read now if it was not), a name, a number as written, or the token. */
  getText(): string {
    switch (this.current) {
      case "string":
        if (this.stringOpen) this.text = this.readString("string value");
        return this.text;
      case "fieldName":
        return this.name;
      case "int":
      case "float":
        return this.text;
      case "startObject":
        return "{";
      case "endObject":
        return "}";
      case "startArray":
        return "[";
      case "endArray":
        return "]";
      case "eof":
        return "null";
      default:
        return this.current;
    }
  }

  /** Refuse the pattern here, as event-ruler's `barf` does. */
  fail(message: string, at = this.ptr): never {
    throw new PatternError(`${message}\n at ${this.location(this.line, at - this.lineStart + 1)}`);
  }

  private afterName(): Token {
    const token = this.pending!;
    this.pending = undefined;
    if (token === "startObject" || token === "startArray") this.open(token, this.pendingLine, this.pendingColumn);
    return (this.current = token);
  }

  private open(token: "startObject" | "startArray", line: number, column: number): void {
    if (this.scopes.length >= MAX_DEPTH) {
      throw new PatternError(`Document nesting depth (${this.scopes.length + 1}) exceeds the maximum allowed (${MAX_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`);
    }
    this.scopes.push({ kind: token === "startObject" ? "Object" : "Array", entries: 0, line, column });
  }

  private close(code: number): Token {
    const scope = this.scopes[this.scopes.length - 1];
    const wanted = code === 93 ? "Array" : "Object";
    if (!scope || scope.kind !== wanted) {
      const expected = scope?.kind === "Array" ? "]" : "}";
      const start = scope ? this.location(scope.line, scope.column) : this.location(0, 0);
      this.fail(`Unexpected close marker '${String.fromCharCode(code)}': expected '${expected}' (for ${scope?.kind ?? "root"} starting at ${start})`);
    }
    this.scopes.pop();
    return (this.current = code === 93 ? "endArray" : "endObject");
  }

  private endOfInput(): Token {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope) {
      this.fail(`Unexpected end-of-input: expected close marker for ${scope.kind} (start marker at ${this.location(scope.line, scope.column)})`);
    }
    return (this.current = "eof");
  }

  /**
   * Reads the start of a value whose first character (`code`) was just consumed. A stray `}` reads differently
   * after a field name than in an array, as in Jackson.
   */
  private value(code: number, inArrayOrRoot: boolean): Token {
    switch (code) {
      case 34:
        this.stringOpen = true;
        return "string";
      case 91:
        return "startArray";
      case 123:
        return "startObject";
      case 116:
        return this.literal("true");
      case 102:
        return this.literal("false");
      case 110:
        return this.literal("null");
      case 45:
        return this.number(true);
      default:
        if (isDigit(code)) return this.number(false);
        if (code === 125 && inArrayOrRoot) this.unexpected(code, "expected a value");
        return this.oddValue(code);
    }
  }

  private oddValue(code: number): never {
    const rest = this.source.slice(this.ptr - 1);
    for (const token of ["NaN", "Infinity"]) {
      if (rest.startsWith(token)) {
        this.ptr += token.length - 1;
        this.fail(`Non-standard token '${token}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow`);
      }
    }
    const ch = String.fromCharCode(code);
    if (isIdentifierStart(ch)) this.invalidToken(ch);
    this.unexpected(code, `expected a valid value ${VALUE_LIST}`);
  }

  private literal(word: "true" | "false" | "null"): Token {
    for (let i = 1; i < word.length; i++) {
      if (this.source[this.ptr] !== word[i]) this.invalidToken(word.slice(0, i));
      this.ptr++;
    }
    const after = this.source[this.ptr];
    if (after !== undefined && isIdentifierPart(after)) this.invalidToken(word);
    return word;
  }

  /** "Unrecognized token": the token runs on while it reads like an identifier. */
  private invalidToken(matched: string): never {
    let token = matched;
    while (this.ptr < this.source.length && isIdentifierPart(this.source[this.ptr]!)) token += this.source[this.ptr++];
    this.fail(`Unrecognized token '${token}': was expecting ${VALUE_LIST}`);
  }

  private number(negative: boolean): Token {
    const start = this.ptr - 1;
    const src = this.source;
    if (negative) {
      const code = this.ptr < src.length ? src.charCodeAt(this.ptr++) : -1;
      if (!isDigit(code)) {
        if (src.startsWith("Infinity", this.ptr - 1)) {
          this.ptr += 7;
          this.fail("Non-standard token '-Infinity': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow");
        }
        this.numberChar(code, "expected digit (0-9) to follow minus sign, for valid numeric value");
      }
    }
    const first = src.charCodeAt(this.ptr - 1);
    if (first === 48 && isDigit(src.charCodeAt(this.ptr))) this.fail("Invalid numeric value: Leading zeroes not allowed");
    while (isDigit(src.charCodeAt(this.ptr))) this.ptr++;
    let token: Token = "int";
    if (src.charCodeAt(this.ptr) === 46) {
      this.ptr++;
      const code = this.ptr < src.length ? src.charCodeAt(this.ptr++) : -1;
      if (!isDigit(code)) this.numberChar(code, "Decimal point not followed by a digit");
      while (isDigit(src.charCodeAt(this.ptr))) this.ptr++;
      token = "float";
    }
    const e = src.charCodeAt(this.ptr);
    if (e === 101 || e === 69) {
      this.ptr++;
      let code = this.ptr < src.length ? src.charCodeAt(this.ptr++) : -1;
      if (code === 43 || code === 45) code = this.ptr < src.length ? src.charCodeAt(this.ptr++) : -1;
      if (!isDigit(code)) this.numberChar(code, "Exponent indicator not followed by a digit");
      while (isDigit(src.charCodeAt(this.ptr))) this.ptr++;
      token = "float";
    }
    this.text = src.slice(start, this.ptr);
    return token;
  }

  private numberChar(code: number, comment: string): never {
    if (code < 0) this.fail("Unexpected end-of-input in a Number value");
    this.fail(`Unexpected character (${charDesc(code)}) in numeric value: ${comment}`);
  }

  /** Reads a string or name from just past its opening quote to just past its closing one. */
  private readString(what: "string value" | "name"): string {
    this.stringOpen = false;
    const src = this.source;
    let out = "";
    let from = this.ptr;
    for (;;) {
      if (this.ptr >= src.length) {
        this.fail(what === "name" ? "Unexpected end-of-input in field name" : "Unexpected end-of-input: was expecting closing quote for a string value");
      }
      const code = src.charCodeAt(this.ptr++);
      if (code === 34) return out + src.slice(from, this.ptr - 1);
      if (code === 92) {
        out += src.slice(from, this.ptr - 1) + this.escape();
        from = this.ptr;
      } else if (code < 32) {
        this.fail(`Illegal unquoted character (${charDesc(code)}): has to be escaped using backslash to be included in ${what}`);
      }
    }
  }

  private escape(): string {
    if (this.ptr >= this.source.length) this.fail("Unexpected end-of-input in character escape sequence");
    const code = this.source.charCodeAt(this.ptr++);
    switch (code) {
      case 98:
        return "\b";
      case 116:
        return "\t";
      case 110:
        return "\n";
      case 102:
        return "\f";
      case 114:
        return "\r";
      case 34:
      case 47:
      case 92:
        return String.fromCharCode(code);
      case 117: {
        let value = 0;
        for (let i = 0; i < 4; i++) {
          if (this.ptr >= this.source.length) this.fail("Unexpected end-of-input in character escape sequence");
          const digit = this.source.charCodeAt(this.ptr++);
          const hex = parseInt(String.fromCharCode(digit), 16);
          if (Number.isNaN(hex)) this.unexpected(digit, "expected a hex-digit for character escape sequence");
          value = (value << 4) | hex;
        }
        return String.fromCharCode(value);
      }
      default:
        this.fail(`Unrecognized character escape ${charDesc(code)}`);
    }
  }

  private skipColon(scope: Scope): void {
    const code = this.skipSpace();
    if (code < 0) this.fail(`Unexpected end-of-input within/between ${scope.kind} entries`);
    if (code !== 58) this.unexpected(code, "was expecting a colon to separate field name and value");
  }

  /** Consumes white space and the next character, returning it (-1 at the end of the text). */
  private skipSpace(): number {
    const src = this.source;
    while (this.ptr < src.length) {
      const code = src.charCodeAt(this.ptr++);
      if (code > 32) {
        if (code === 47) this.unexpected(code, "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
        return code;
      }
      if (code === 10) {
        this.line++;
        this.lineStart = this.ptr;
      } else if (code === 13) {
        if (src.charCodeAt(this.ptr) === 10) this.ptr++;
        this.line++;
        this.lineStart = this.ptr;
      } else if (code !== 32 && code !== 9) {
        this.fail(`Illegal character (${charDesc(code)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`);
      }
    }
    return -1;
  }

  /** An unexpected character, located on the character itself as Jackson does. */
  private unexpected(code: number, comment: string): never {
    this.fail(`Unexpected character (${charDesc(code)}): ${comment}`, this.ptr - 1);
  }

  /** Jackson's `[Source: (String)"…"; line: L, column: C]`, quoting at most 500 characters of the pattern. */
  private location(line: number, column: number): string {
    const shown = this.source.slice(0, SNIPPET);
    let quoted = "";
    for (const ch of shown) {
      const code = ch.charCodeAt(0);
      quoted += isIsoControl(code) && code !== 10 && code !== 13 ? `\\u${code.toString(16).toUpperCase().padStart(4, "0")}` : ch;
    }
    const truncated = this.source.length > SNIPPET ? `[truncated ${this.source.length - SNIPPET} chars]` : "";
    return `[Source: (String)"${quoted}"${truncated}; line: ${line + 1}, column: ${column}]`;
  }
}
