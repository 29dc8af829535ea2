import { useState } from "preact/hooks";
import { useLoad } from "../lib/use-load.js";
import { ActionDialog } from "./action-dialog.js";
import { Empty, ErrorBanner, Loading } from "./status.js";

/**
 * A resource's key/value pairs (tags, service attributes) with Add, Edit and Remove: `put` adds or replaces one
 * key, `remove` deletes one; the list reloads after each.
 */
export function KeyValueCard(props: {
  title: string;
  /** "tag" or "attribute": names the buttons and fields. */
  noun: string;
  loadKey: string;
  load: (signal: AbortSignal) => Promise<Record<string, string>>;
  put: (key: string, value: string) => Promise<void>;
  remove: (key: string) => Promise<void>;
}) {
  const { state, reload } = useLoad(props.loadKey, props.load);
  const [editing, setEditing] = useState<{ key: string; value: string; isNew: boolean } | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const Noun = props.noun[0]!.toUpperCase() + props.noun.slice(1);
  const id = props.title.toLowerCase().replace(/\W+/g, "-");

  const remove = async (key: string): Promise<void> => {
    setFailure(undefined);
    try {
      await props.remove(key);
    } catch (error) {
      setFailure(error);
    }
    reload();
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <div class="section-header">
        <h2 id={`${id}-title`}>{props.title}</h2>
        <button type="button" class="button button-small" onClick={() => setEditing({ key: "", value: "", isNew: true })}>
          Add {props.noun}
        </button>
      </div>
      {state.status === "error" ? <ErrorBanner error={state.error} title={`Could not load ${props.title.toLowerCase()}.`} /> : null}
      {failure !== undefined ? <ErrorBanner error={failure} title={`Could not remove the ${props.noun}.`} /> : null}
      {state.status === "loading" ? <Loading /> : null}
      {state.data && Object.keys(state.data).length === 0 ? <Empty>No {props.title.toLowerCase()}.</Empty> : null}
      {state.data && Object.keys(state.data).length > 0 ? (
        <div class="table-wrap">
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(state.data)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([key, value]) => (
                  <tr key={key}>
                    <td class="mono">{key}</td>
                    <td>{value}</td>
                    <td class="actions">
                      <button type="button" class="button button-small" aria-label={`Edit ${props.noun} ${key}`} onClick={() => setEditing({ key, value, isNew: false })}>
                        Edit
                      </button>
                      <button type="button" class="button button-small" aria-label={`Remove ${props.noun} ${key}`} onClick={() => void remove(key)}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editing ? (
        <ActionDialog
          title={editing.isNew ? `Add ${props.noun}` : `Edit ${props.noun}`}
          submitLabel={editing.isNew ? `Add ${props.noun}` : "Save changes"}
          onSubmit={async () => {
            await props.put(editing.key.trim(), editing.value);
            reload();
          }}
          onClose={() => setEditing(undefined)}
        >
          <label for={`${id}-key`}>{Noun} key</label>
          <input id={`${id}-key`} required disabled={!editing.isNew} value={editing.key} spellcheck={false} onInput={(e) => setEditing({ ...editing, key: e.currentTarget.value })} />
          <label for={`${id}-value`}>{Noun} value</label>
          <input id={`${id}-value`} value={editing.value} spellcheck={false} onInput={(e) => setEditing({ ...editing, value: e.currentTarget.value })} />
        </ActionDialog>
      ) : null}
    </section>
  );
}
