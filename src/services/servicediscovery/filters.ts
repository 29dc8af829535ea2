import { invalidInput } from "./errors.js";

export interface FilterInput {
  Name: string;
  Values: string[];
  Condition?: string;
}

/**
 * Compiles one list filter into a predicate over the value it names. `allowed` lists the conditions
 * the filter takes (the first is its default); EQ and BEGINS_WITH take exactly one value.
 */
export function compileCondition(filter: FilterInput, allowed: readonly string[]): (actual: string) => boolean {
  const condition = filter.Condition ?? allowed[0]!;
  if (!allowed.includes(condition)) {
    throw invalidInput(`The ${filter.Name} filter does not support the ${condition} condition; use ${allowed.join(" or ")}.`);
  }
  const values = filter.Values;
  if ((condition === "EQ" || condition === "BEGINS_WITH") && values.length !== 1) {
    throw invalidInput(`The ${condition} condition of the ${filter.Name} filter takes exactly one value.`);
  }
  if (condition === "IN" && values.length === 0) throw invalidInput(`The IN condition of the ${filter.Name} filter needs a value.`);
  switch (condition) {
    case "BEGINS_WITH":
      return (actual) => actual.startsWith(values[0]!);
    default:
      return (actual) => values.includes(actual);
  }
}

/** `RESOURCE_OWNER` filters: in a single-account deployment everything the caller sees is its own. */
export function resourceOwnerFilter(filter: FilterInput): () => boolean {
  const matches = compileCondition(filter, ["EQ"]);
  const value = filter.Values[0]!;
  if (value !== "SELF" && value !== "OTHER_ACCOUNTS") {
    throw invalidInput(`The RESOURCE_OWNER filter takes SELF or OTHER_ACCOUNTS, not ${value}.`);
  }
  return () => matches("SELF");
}

export function requireEnumValues(filter: FilterInput, allowed: readonly string[]): void {
  if (filter.Condition === "BEGINS_WITH") return;
  const bad = filter.Values.find((v) => !allowed.includes(v));
  if (bad !== undefined) throw invalidInput(`${bad} is not a valid value for the ${filter.Name} filter; use one of ${allowed.join(", ")}.`);
}

export function rejectDuplicateFilters(filters: readonly FilterInput[]): void {
  const seen = new Set<string>();
  for (const f of filters) {
    if (seen.has(f.Name)) throw invalidInput(`The ${f.Name} filter is given more than once.`);
    seen.add(f.Name);
  }
}
