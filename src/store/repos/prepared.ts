import type { Compilable, CompiledQuery, Kysely, QueryResult } from "kysely";
import type { Database } from "../schema.js";

/** Stands for a call's value in a statement built once: its `index`-th argument, or that argument's `key`. */
class Slot {
  constructor(
    readonly index: number,
    readonly key?: string,
  ) {}

  valueIn(values: readonly unknown[]): unknown {
    const value = values[this.index];
    return this.key === undefined ? value : (value as Record<string, unknown>)[this.key];
  }
}

const isRow = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * A statement of fixed shape on the write path, built and compiled by Kysely once per dialect, then run with each
 * call's values: building and compiling it cost more CPU than SQLite spends running most of these statements. `build`
 * is called once with placeholders (a plain object argument becomes an object of placeholders with the same keys): it
 * must pass them on as values only, never branch on them, and every call must give objects with the same keys.
 */
export function prepared<V extends unknown[], R>(
  build: (db: Kysely<Database>, ...values: V) => Compilable<R>,
): (db: Kysely<Database>, ...values: V) => Promise<QueryResult<R>> {
  const byDialect = new Map<unknown, CompiledQuery<R>>();
  return (db, ...values) => {
    // The compiled SQL depends only on the dialect (placeholders, quoting), the same for every Kysely instance of it.
    const dialect = db.getExecutor().adapter.constructor;
    let compiled = byDialect.get(dialect);
    if (!compiled) {
      const slots = values.map((value, index) =>
        isRow(value) ? Object.fromEntries(Object.keys(value).map((key) => [key, new Slot(index, key)])) : new Slot(index),
      ) as V;
      compiled = build(db, ...slots).compile();
      byDialect.set(dialect, compiled);
    }
    const parameters = compiled.parameters.map((p) => (p instanceof Slot ? p.valueIn(values) : p));
    return db.executeQuery<R>({ ...compiled, parameters });
  };
}
