import { useState } from "preact/hooks";

export interface TableSort {
  column: string;
  ascending: boolean;
}

export interface TableQuery<T> {
  rows: T[];
  search: string;
  setSearch: (text: string) => void;
  sort: TableSort;
  onSort: (column: string) => void;
}

/**
 * Search and sort for a list page: rows whose text contains the search (case-insensitive), ordered by a column
 * (clicking its header again reverses the order).
 */
export function useTableQuery<T>(rows: readonly T[] | undefined, text: (row: T) => string, keys: Record<string, (row: T) => string | number>, initial: string): TableQuery<T> {
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<TableSort>({ column: initial, ascending: true });
  const needle = search.trim().toLowerCase();
  const key = keys[sort.column] ?? keys[initial]!;
  const shown = (rows ?? [])
    .filter((row) => !needle || text(row).toLowerCase().includes(needle))
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sort.ascending ? order : -order;
    });
  return {
    rows: shown,
    search,
    setSearch,
    sort,
    onSort: (column) => setSort((s) => ({ column, ascending: s.column === column ? !s.ascending : true })),
  };
}
