import { useState } from "preact/hooks";
import { EVENT_COLUMNS, PAGE_SIZES, type EventColumn, type EventPreferences } from "../lib/event-preferences.js";
import { Dialog } from "./dialog.js";

/** Event history's Preferences: which columns show, the page size and line wrapping. */
export function EventPreferencesDialog(props: { preferences: EventPreferences; onConfirm: (next: EventPreferences) => void; onClose: () => void }) {
  const [draft, setDraft] = useState(props.preferences);
  const toggle = (column: EventColumn, on: boolean): void =>
    setDraft((d) => ({ ...d, columns: EVENT_COLUMNS.map(([id]) => id).filter((id) => (id === column ? on : d.columns.includes(id))) }));
  return (
    <Dialog title="Preferences" onClose={props.onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onConfirm(draft);
          props.onClose();
        }}
      >
        <label for="page-size">Page size</label>
        <select id="page-size" value={draft.pageSize} onChange={(e) => setDraft((d) => ({ ...d, pageSize: Number(e.currentTarget.value) as EventPreferences["pageSize"] }))}>
          {PAGE_SIZES.map((size) => (
            <option value={size} key={size}>
              {size} events
            </option>
          ))}
        </select>
        <label class="choice">
          <input type="checkbox" checked={draft.wrap} onChange={(e) => setDraft((d) => ({ ...d, wrap: e.currentTarget.checked }))} />
          Wrap lines
        </label>
        <fieldset class="column-choices">
          <legend>Visible columns</legend>
          {EVENT_COLUMNS.map(([id, label]) => (
            <label class="choice" key={id}>
              <input
                type="checkbox"
                checked={draft.columns.includes(id)}
                disabled={id === "eventName"}
                onChange={(e) => toggle(id, e.currentTarget.checked)}
              />
              {label}
              {id === "eventName" ? <span class="optional">(opens the event; always shown)</span> : null}
            </label>
          ))}
        </fieldset>
        <div class="form-actions">
          <button type="button" class="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Confirm
          </button>
        </div>
      </form>
    </Dialog>
  );
}
