import { useEffect, useRef, useState } from "preact/hooks";

export type LoadState<T> =
  | { status: "loading"; data?: T }
  | { status: "ok"; data: T }
  | { status: "error"; error: unknown; data?: T };

interface Keyed<T> {
  key: string;
  state: LoadState<T>;
}

export interface Loaded<T> {
  state: LoadState<T>;
  /** Loads the same key again, keeping its data on screen meanwhile. */
  reload: () => void;
  /** Runs a follow-up for the current key (e.g. the next page) whose result replaces the data; a failure keeps it. */
  extend: (more: (data: T, signal: AbortSignal) => Promise<T>) => void;
}

/**
 * The one way every page loads: `key` names what is shown (region and query). Each load aborts the one before it,
 * and an answer is applied only while it is still the newest for the key it was made for, so a slow answer for an
 * old region or query never appears. A new key starts empty, and a failed load clears the data it was replacing.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [keyed, setKeyed] = useState<Keyed<T>>({ key, state: { status: "loading" } });
  const [generation, setGeneration] = useState(0);
  const current = useRef<{ id: number; controller: AbortController } | undefined>(undefined);
  const counter = useRef(0);

  /** Starts a request for `forKey`, superseding any other; `apply` runs only if nothing superseded it. */
  const begin = (forKey: string): { signal: AbortSignal; apply: (next: LoadState<T>) => void } => {
    current.current?.controller.abort();
    const id = ++counter.current;
    const controller = new AbortController();
    current.current = { id, controller };
    return {
      signal: controller.signal,
      apply: (next) => {
        if (current.current?.id === id) setKeyed({ key: forKey, state: next });
      },
    };
  };

  useEffect(() => {
    const { signal, apply } = begin(key);
    setKeyed((previous) => ({ key, state: { status: "loading", data: previous.key === key ? previous.state.data : undefined } }));
    load(signal).then(
      (data) => apply({ status: "ok", data }),
      (error: unknown) => apply({ status: "error", error }),
    );
    return () => current.current?.controller.abort();
  }, [key, generation]);

  const extend = (more: (data: T, signal: AbortSignal) => Promise<T>): void => {
    const data = keyed.key === key ? keyed.state.data : undefined;
    if (data === undefined) return;
    const { signal, apply } = begin(key);
    setKeyed({ key, state: { status: "loading", data } });
    more(data, signal).then(
      (next) => apply({ status: "ok", data: next }),
      (error: unknown) => apply({ status: "error", error, data }),
    );
  };

  // Until the effect for a new key has run, the state still belongs to the old key: never show it.
  const state: LoadState<T> = keyed.key === key ? keyed.state : { status: "loading" };
  return { state, reload: () => setGeneration((g) => g + 1), extend };
}
