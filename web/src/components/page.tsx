import type { ComponentChildren } from "preact";

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

/** A table of resources: a header cell per column, then an unlabelled last column for each row's buttons. */
export function ResourceTable({ columns, children }: { columns: string[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
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
