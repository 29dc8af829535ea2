import { useEffect, useState } from "preact/hooks";

export type LoadState<T> =
  | { status: "loading"; data?: T }
  | { status: "ok"; data: T }
  | { status: "error"; error: unknown; data?: T };

/** Runs `load` when `deps` change (or on reload()), keeping the last data visible while a reload runs. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { state: LoadState<T>; reload: () => void } {
  const [state, setState] = useState<LoadState<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ status: "loading", data: previous.data }));
    load().then(
      (data) => current && setState({ status: "ok", data }),
      (error: unknown) => current && setState((previous) => ({ status: "error", error, data: previous.data })),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  return { state, reload: () => setGeneration((g) => g + 1) };
}
