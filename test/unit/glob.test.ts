import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { globMatch, LITERAL_QUESTION, LITERAL_STAR } from "../../src/auth/glob.js";

/** The textbook dynamic program: slow but plainly right, to check the linear matcher against. */
function reference(pattern: string, value: string): boolean {
  let row = new Array<boolean>(value.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(value.length + 1).fill(false);
    if (p === "*") {
      next[0] = row[0]!;
      for (let j = 1; j <= value.length; j++) next[j] = row[j]! || next[j - 1]!;
    } else {
      for (let j = 1; j <= value.length; j++) next[j] = row[j - 1]! && (p === "?" || p === value[j - 1]);
    }
    row = next;
  }
  return row[value.length]!;
}

describe("globMatch", () => {
  const cases: Array<[pattern: string, value: string, ignoreCase: boolean, matches: boolean]> = [
    ["servicediscovery:Get*", "servicediscovery:GetService", false, true],
    ["servicediscovery:get*", "ServiceDiscovery:GetService", true, true],
    ["servicediscovery:get*", "ServiceDiscovery:GetService", false, false],
    ["*", "", false, true],
    ["", "", false, true],
    ["", "a", false, false],
    ["a*", "a", false, true],
    ["*a", "a", false, true],
    ["a*a", "a", false, false],
    ["a*a", "aa", false, true],
    ["arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/ops/Operator", false, true],
    ["arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:user/maria", false, false],
    ["sts:GetSessionToke?", "sts:GetSessionToken", false, true],
    ["sts:GetSessionTok?", "sts:GetSessionToken", false, false],
    ["*?", "", false, false],
    ["*??*", "ab", false, true],
    ["*a?c*", "xxabxabcx", false, true],
    ["*a?c*", "xxabxabdx", false, false],
    ["ab*cd*ef", "abcdcdef", false, true],
    ["ab*cd*ef", "abcdef", false, true],
    ["ab*cd*ef", "abcef", false, false],
    // Stand-ins from policy variables match only the literal character.
    [`a${LITERAL_STAR}b`, "a*b", false, true],
    [`a${LITERAL_STAR}b`, "axb", false, false],
    [`a${LITERAL_QUESTION}b`, "a?b", false, true],
    [`a${LITERAL_QUESTION}b`, "axb", false, false],
    [`*${LITERAL_STAR}?`, "x*y", false, true],
    // A `?` piece longer than one 32-bit word.
    [`*${"a?".repeat(40)}b*`, `x${"ab".repeat(40)}by`, false, true],
    [`*${"a?".repeat(40)}b*`, `x${"ab".repeat(39)}by`, false, false],
  ];
  for (const [pattern, value, ignoreCase, matches] of cases) {
    test(`${JSON.stringify(pattern)} ~ ${JSON.stringify(value)}${ignoreCase ? " (any case)" : ""} → ${matches}`, () =>
      assert.equal(globMatch(pattern, value, ignoreCase), matches));
  }

  test("agrees with the dynamic program on 5,000 random patterns", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = (alphabet: string, max: number): string => Array.from({ length: rand(max + 1) }, () => alphabet[rand(alphabet.length)]).join("");
    for (let i = 0; i < 5_000; i++) {
      const pattern = word("ab*?", 10);
      const value = word("ab", 14);
      assert.equal(globMatch(pattern, value, false), reference(pattern, value), `${pattern} ~ ${value}`);
    }
  });

  test("a 25-star pattern against a 10,000-character value takes well under a millisecond", () => {
    const value = "a".repeat(10_000);
    const patterns = [`${"*a".repeat(24)}*b`, `${"*a?".repeat(24)}*b`, `*${"a?".repeat(24)}b*`];
    for (const pattern of patterns) {
      globMatch(pattern, value, false);
      let best = Infinity;
      for (let run = 0; run < 5; run++) {
        const started = performance.now();
        assert.equal(globMatch(pattern, value, false), false);
        best = Math.min(best, performance.now() - started);
      }
      assert.ok(best < 1, `${pattern}: ${best.toFixed(3)} ms`);
    }
  });
});
