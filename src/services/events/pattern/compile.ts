/**
 * Compiles an event pattern's JSON text in one pass, in the order and with the words of event-ruler's rule compiler
 * (the one EventBridge runs), so an invalid pattern gets AWS's reason at AWS's position. Errors the compiler catches
 * and raises again carry the location twice, as on AWS.
 */
import { JsonReader, PatternError, type Token } from "./json-reader.js";
import { parseCidr } from "./ip.js";
import * as leafTests from "./leaf-tests.js";
import type { LeafTest, NumericRange } from "./leaf-tests.js";
import { emptyObjectPattern, objectAt, setLeaf, type Leaf, type LeafPattern, type ObjectPattern } from "./model.js";
import { wildcardError } from "./wildcard.js";

/** Names event-ruler keeps for itself inside `$or` (operators, and some reserved for later). */
const RESERVED_IN_OR = new Set([
  ...["exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr", "html"],
  ...["=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case"],
  ...["date-after", "date-on-or-after", "date-before", "date-on-or-before", "in-date-range"],
  ...["ip-address-in-range", "ip-address-not-in-range"],
]);

const ONE_KEY = "Only one key allowed in match expression";
const TOO_MANY_NUMERIC = "Too many elements in numeric expression";

const isNumber = (token: Token): boolean => token === "int" || token === "float";

export function compilePattern(text: string): ObjectPattern {
  const reader = new JsonReader(text);
  if (reader.next() !== "startObject") reader.fail("Filter is not an object");
  const root = emptyObjectPattern();
  parseObject(reader, root, false);
  // Like AWS, nothing after the pattern's closing brace is read.
  return root;
}

function parseObject(reader: JsonReader, target: ObjectPattern, insideOr: boolean): void {
  let fieldsPresent = false;
  while (reader.next() !== "endObject") {
    fieldsPresent = true;
    const name = reader.name;
    if (name === "$or") {
      parseOr(reader, target);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(name)) reader.fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
    switch (reader.next()) {
      case "startObject":
        parseObject(reader, objectAt(target, name), insideOr);
        break;
      case "startArray":
        setLeaf(target, name, parseValues(reader));
        break;
      default:
        reader.fail(`"${name}" must be an object or an array`);
    }
  }
  if (!fieldsPresent) reader.fail("Empty objects are not allowed");
}

function parseOr(reader: JsonReader, target: ObjectPattern): void {
  if (reader.next() !== "startArray") reader.fail("It must be an Array followed with $or.");
  const branches: ObjectPattern[] = [];
  let token: Token;
  while ((token = reader.next()) !== "endArray") {
    if (token !== "startObject") reader.fail("Only JSON object is allowed in array of $or relationship.");
    const branch = emptyObjectPattern();
    parseObject(reader, branch, true);
    branches.push(branch);
  }
  if (branches.length < 2) reader.fail("There must have at least 2 Objects in $or relationship.");
  target.ors.push(branches);
}

/** A field's list of values and match expressions. */
function parseValues(reader: JsonReader): LeafPattern {
  const leaf: LeafPattern = { exact: new Set<Leaf>(), tests: [], present: false, absent: false };
  let count = 0;
  let token: Token;
  while ((token = reader.next()) !== "endArray") {
    count++;
    switch (token) {
      case "startObject":
        parseMatchExpression(reader, leaf);
        break;
      case "string": {
        const text = reader.getText();
        const address = leafTests.sameAddress(text);
        if (address) leaf.tests.push(address);
        else leaf.exact.add(text);
        break;
      }
      case "int":
      case "float":
        leaf.exact.add(Number(reader.getText()));
        break;
      case "true":
      case "false":
        leaf.exact.add(token === "true");
        break;
      case "null":
        leaf.exact.add(null);
        break;
      default:
        reader.fail("Match value must be String, number, true, false, or null");
    }
  }
  if (count === 0) reader.fail("Empty arrays are not allowed");
  return leaf;
}

function endOfExpression(reader: JsonReader, message = ONE_KEY): void {
  if (reader.next() !== "endObject") reader.fail(message);
}

/** One `{ "operator": … }` of a value list. */
function parseMatchExpression(reader: JsonReader, leaf: LeafPattern): void {
  if (reader.next() !== "fieldName") reader.fail("Match expression name not found");
  const operator = reader.name;
  switch (operator) {
    case "exactly":
      leaf.exact.add(stringOperand(reader, "exact match pattern must be a string"));
      endOfExpression(reader);
      return;
    case "prefix":
    case "suffix": {
      const token = reader.next();
      if (token === "startObject") {
        leaf.tests.push(parseAffixIgnoringCase(reader, operator));
        return;
      }
      if (token !== "string") reader.fail(`${operator} match pattern must be a string`);
      leaf.tests.push((operator === "prefix" ? leafTests.prefix : leafTests.suffix)(reader.getText()));
      endOfExpression(reader);
      return;
    }
    case "numeric":
      if (reader.next() !== "startArray") reader.fail("Value of numeric must be an array.");
      leaf.tests.push(parseNumeric(reader));
      endOfExpression(reader, TOO_MANY_NUMERIC);
      return;
    case "anything-but":
      leaf.tests.push(parseAnythingBut(reader));
      return;
    case "exists": {
      const token = reader.next();
      if (token !== "true" && token !== "false") reader.fail("exists match pattern must be either true or false.");
      if (token === "true") leaf.present = true;
      else leaf.absent = true;
      endOfExpression(reader);
      return;
    }
    case "cidr":
      // event-ruler words a non-string CIDR as a prefix; the CIDR's own errors carry no location.
      leaf.tests.push(leafTests.inCidr(parseCidr(stringOperand(reader, "prefix match pattern must be a string"))));
      endOfExpression(reader);
      return;
    case "equals-ignore-case":
      leaf.tests.push(leafTests.equalsIgnoringCase(stringOperand(reader, "equals-ignore-case match pattern must be a string")));
      endOfExpression(reader);
      return;
    case "wildcard": {
      const text = stringOperand(reader, "wildcard match pattern must be a string");
      checkWildcard(reader, text);
      leaf.tests.push(leafTests.wildcard(text));
      endOfExpression(reader);
      return;
    }
    default:
      reader.fail(`Unrecognized match type ${operator}`);
  }
}

function stringOperand(reader: JsonReader, message: string): string {
  if (reader.next() !== "string") reader.fail(message);
  return reader.getText();
}

function checkWildcard(reader: JsonReader, text: string): void {
  const error = wildcardError(text);
  if (error) reader.fail(error);
}

/** `{"prefix": {"equals-ignore-case": "…"}}` and the same for suffix. */
function parseAffixIgnoringCase(reader: JsonReader, operator: "prefix" | "suffix"): LeafTest {
  const Operator = operator === "prefix" ? "Prefix" : "Suffix";
  if (reader.next() !== "fieldName") reader.fail(`${Operator} expression name not found`);
  if (reader.name !== "equals-ignore-case") reader.fail(`Unsupported ${operator} pattern: ${reader.name}`);
  const text = stringOperand(reader, "equals-ignore-case match pattern must be a string");
  endOfExpression(reader);
  endOfExpression(reader);
  return operator === "prefix" ? leafTests.prefixIgnoringCase(text) : leafTests.suffixIgnoringCase(text);
}

type AnythingButKind = "values" | "equals-ignore-case" | "prefix" | "suffix" | "wildcard";

function parseAnythingBut(reader: JsonReader): LeafTest {
  let kind: AnythingButKind = "values";
  let token = reader.next();
  if (token === "startObject") {
    if (reader.next() !== "fieldName") reader.fail("Anything-But expression name not found");
    const operator = reader.name;
    if (operator !== "equals-ignore-case" && operator !== "prefix" && operator !== "suffix" && operator !== "wildcard") {
      reader.fail(`Unsupported anything-but pattern: ${operator}`);
    }
    kind = operator;
    token = reader.next();
  }
  if (token !== "startArray" && token !== "string" && !isNumber(token)) {
    reader.fail("Value of anything-but must be an array or single string/number value.");
  }
  let excluded: LeafTest;
  if (kind === "values") excluded = token === "startArray" ? anythingButList(reader) : anythingButValue(reader, token);
  else excluded = anythingButOperands(reader, kind, token === "startArray" ? readOperandList(reader, kind) : [operand(reader, kind, token)]);
  // event-ruler's wording for any extra key here, numeric or not.
  endOfExpression(reader, TOO_MANY_NUMERIC);
  if (kind !== "values") endOfExpression(reader, TOO_MANY_NUMERIC);
  return leafTests.anythingBut(excluded);
}

/** Runs a list's reading as event-ruler does: an error inside is caught and raised again, adding a second location. */
function rethrowingAtEnd<T>(reader: JsonReader, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PatternError) reader.fail(error.message);
    throw error;
  }
}

function anythingButList(reader: JsonReader): LeafTest {
  const strings: string[] = [];
  const numbers: number[] = [];
  rethrowingAtEnd(reader, () => {
    let token: Token;
    while ((token = reader.next()) !== "endArray") {
      if (token === "string") strings.push(reader.getText());
      else if (isNumber(token)) numbers.push(leafTests.comparableNumber(reader.getText()));
      else reader.fail("Inside anything but list, start|null|boolean is not supported.");
    }
  });
  if ((strings.length > 0) === (numbers.length > 0)) {
    reader.fail("Inside anything but list, either all values are number or string, mixed type is not supported");
  }
  return strings.length > 0 ? leafTests.oneOfStrings(strings) : leafTests.oneOfNumbers(numbers);
}

/** A single string or number; a number out of range is refused without a location, as on AWS. */
function anythingButValue(reader: JsonReader, token: Token): LeafTest {
  const text = reader.getText();
  return token === "string" ? leafTests.oneOfStrings([text]) : leafTests.oneOfNumbers([leafTests.comparableNumber(text)]);
}

function operand(reader: JsonReader, kind: Exclude<AnythingButKind, "values">, token: Token): string {
  if (token !== "string") {
    if (kind === "equals-ignore-case") reader.fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
    reader.fail(kind === "wildcard" ? "wildcard match pattern must be a string" : "prefix/suffix match pattern must be a string");
  }
  const text = reader.getText();
  if ((kind === "prefix" || kind === "suffix") && text === "") reader.fail("Null prefix/suffix not allowed");
  return text;
}

function readOperandList(reader: JsonReader, kind: Exclude<AnythingButKind, "values">): string[] {
  return rethrowingAtEnd(reader, () => {
    const values: string[] = [];
    let token: Token;
    while ((token = reader.next()) !== "endArray") values.push(operand(reader, kind, token));
    return values;
  });
}

function anythingButOperands(reader: JsonReader, kind: Exclude<AnythingButKind, "values">, values: string[]): LeafTest {
  switch (kind) {
    case "equals-ignore-case":
      return leafTests.oneOfStringsIgnoringCase(values);
    case "prefix":
      return leafTests.any(values.map(leafTests.prefix));
    case "suffix":
      return leafTests.any(values.map(leafTests.suffix));
    case "wildcard":
      for (const value of values) checkWildcard(reader, value);
      return leafTests.any(values.map(leafTests.wildcard));
  }
}

/** `[op, n]` or `[">" or ">=", n, "<" or "<=", m]`; numbers are checked once the list is complete. */
function parseNumeric(reader: JsonReader): LeafTest {
  if (reader.next() !== "string") reader.fail(`Invalid member in numeric match: ${reader.getText()}`);
  const operator = reader.getText();
  const token = reader.next();
  if (!["=", ">=", ">", "<=", "<"].includes(operator)) reader.fail(`Unrecognized numeric range operator: ${operator}`);
  if (!isNumber(token)) reader.fail(`Value of ${operator === "=" ? "equals" : operator} must be numeric`);
  const value = reader.getText();
  if (operator === "=" || operator === "<" || operator === "<=") {
    if (reader.next() !== "endArray") reader.fail(TOO_MANY_NUMERIC);
    const number = checkedNumber(reader, value);
    if (operator === "=") return leafTests.oneOfNumbers([number]);
    return leafTests.numeric({ high: number, highOpen: operator === "<" });
  }
  const next = reader.next();
  if (next === "endArray") return leafTests.numeric({ low: checkedNumber(reader, value), lowOpen: operator === ">" });
  if (next !== "string") reader.fail(`Bad value in numeric range: ${reader.getText()}`);
  const upper = reader.getText();
  if (upper !== "<" && upper !== "<=") reader.fail(`Bad numeric range operator: ${upper}`);
  if (!isNumber(reader.next())) reader.fail(`Value of ${upper} must be numeric`);
  const top = reader.getText();
  if (reader.next() !== "endArray") reader.fail("Too many terms in numeric range expression");
  const range: NumericRange = { low: checkedNumber(reader, value), lowOpen: operator === ">" };
  range.high = checkedNumber(reader, top);
  range.highOpen = upper === "<";
  if (!(range.low! < range.high)) reader.fail("Bottom must be less than top");
  return leafTests.numeric(range);
}

function checkedNumber(reader: JsonReader, text: string): number {
  try {
    return leafTests.comparableNumber(text);
  } catch (error) {
    if (error instanceof PatternError) reader.fail(error.message);
    throw error;
  }
}
