import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { Dialog } from "./dialog.js";
import { ErrorBanner } from "./status.js";

/**
 * A form in a dialog that runs one action: the submit button shows progress, a failure stays in the dialog with
 * AWS's error, and success closes it.
 */
export function ActionDialog(props: {
  title: string;
  submitLabel: string;
  danger?: boolean;
  onSubmit: () => Promise<void>;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit();
      props.onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={submit} aria-busy={busy}>
        {props.children}
        {error !== undefined ? <ErrorBanner error={error} /> : null}
        <div class="form-actions">
          <button type="button" class="button" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" class={props.danger ? "button button-danger" : "button button-primary"} disabled={busy}>
            {busy ? "Working…" : props.submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Asks before a destructive action (its button in red), runs it, then `onDone` (typically a reload). */
export function ConfirmDialog(props: {
  title: string;
  submitLabel: string;
  run: () => Promise<void>;
  onDone: () => void;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const submit = async (): Promise<void> => {
    await props.run();
    props.onDone();
  };
  return (
    <ActionDialog title={props.title} submitLabel={props.submitLabel} danger onSubmit={submit} onClose={props.onClose}>
      {props.children}
    </ActionDialog>
  );
}
