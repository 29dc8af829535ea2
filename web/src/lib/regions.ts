import { useEffect, useState } from "preact/hooks";

/** One request per page load: the served regions do not change while Cairn runs. */
let served: Promise<string[]> | undefined;

function loadServedRegions(): Promise<string[]> {
  served ??= fetch(new URL("/_cairn/regions", window.location.origin)).then(async (res) => {
    if (!res.ok) throw new Error(`GET /_cairn/regions answered ${res.status}`);
    return (await res.json()) as string[];
  });
  served.catch(() => (served = undefined)); // a failed load is tried again by the next picker
  return served;
}

/**
 * The regions this Cairn serves (`GET /_cairn/regions`, unsigned), the only ones a region picker offers: any
 * other is refused by Cairn. Undefined until they have loaded.
 */
export function useServedRegions(): string[] | undefined {
  const [regions, setRegions] = useState<string[] | undefined>(undefined);
  useEffect(() => {
    let current = true;
    loadServedRegions().then(
      (list) => current && setRegions(list),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  return regions;
}
