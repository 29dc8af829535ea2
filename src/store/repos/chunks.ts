/** Keys per statement when reading many rows by key: far below every database's limit on parameters. */
export const KEYS_PER_STATEMENT = 200;

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
