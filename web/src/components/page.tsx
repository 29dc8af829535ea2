import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";
import type { TableQuery } from "../lib/use-table-query.js";

/** A page's title, with Refresh (when the page loads something) before the page's own buttons. */
export function PageHeader(props: { title: string; refresh?: { onClick: () => void; busy: boolean }; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1 id="page-title">{props.title}</h1>
      <div class="page-actions">
        {props.refresh ? (
          <button type="button" class="button" onClick={props.refresh.onClick} disabled={props.refresh.busy}>
            Refresh
          </button>
        ) : null}
        {props.children}
      </div>
    </div>
  );
}

/** The search field above a list: filters the rows as the user types. */
/** A table row's Delete button, named for what it deletes (the action opens a confirmation). */
export function DeleteButton(props: { what: string; onClick: () => void }) {
  return (
    <button type="button" class="button button-small" aria-label={`Delete ${props.what}`} onClick={props.onClick}>
      Delete
    </button>
  );
}

export function SearchBox({ label, query }: { label: string; query: Pick<TableQuery<unknown>, "search" | "setSearch"> }) {
  const id = useId();
  return (
    <div class="search-box" role="search">
      <label for={id} class="visually-hidden">
        {label}
      </label>
      <input id={id} type="search" placeholder={label} value={query.search} onInput={(e) => query.setSearch(e.currentTarget.value)} />
    </div>
  );
}

/**
 * A table of resources: a header cell per column, then an unlabelled last column for each row's buttons. With
 * `query`, the columns it can sort by are buttons that sort (aria-sort tells which and how).
 */
export function ResourceTable(props: { columns: string[]; query?: Pick<TableQuery<unknown>, "sort" | "onSort">; sortable?: string[]; children: ComponentChildren }) {
  const { columns, query, children } = props;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((column) => {
              const sortable = query && (props.sortable ?? columns).includes(column);
              const current = query?.sort.column === column;
              return (
                <th scope="col" key={column} aria-sort={sortable ? (current ? (query.sort.ascending ? "ascending" : "descending") : "none") : undefined}>
                  {sortable ? (
                    <button type="button" class="sort" onClick={() => query.onSort(column)}>
                      {column}
                      <span aria-hidden="true">{current ? (query.sort.ascending ? " ▲" : " ▼") : ""}</span>
                    </button>
                  ) : (
                    column
                  )}
                </th>
              );
            })}
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
