import type { ComponentChildren } from "preact";
import { describeError } from "../lib/aws.js";

/** A failed call, announced to screen readers as it appears. */
export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  return (
    <div class="banner banner-error" role="alert">
      {title ? <strong>{title} </strong> : null}
      {describeError(error)}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}
