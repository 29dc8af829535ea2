import { useEffect, useState } from "preact/hooks";

/** The one time zone setting of the console: Event history's filter and table both read and write times in it. */
export type TimeZone = "utc" | "local";

const KEY = "cairn.console.timeZone";
const CHANGED = "cairn-time-zone";

function stored(): TimeZone {
  return localStorage.getItem(KEY) === "local" ? "local" : "utc";
}

/** The setting, persisted in localStorage (it is a preference, not a secret) and shared by every component. */
export function useTimeZone(): [TimeZone, (zone: TimeZone) => void] {
  const [zone, setZone] = useState<TimeZone>(stored);
  useEffect(() => {
    const sync = (): void => setZone(stored());
    window.addEventListener(CHANGED, sync);
    return () => window.removeEventListener(CHANGED, sync);
  }, []);
  const change = (next: TimeZone): void => {
    localStorage.setItem(KEY, next);
    window.dispatchEvent(new Event(CHANGED));
  };
  return [zone, change];
}

export function zoneLabel(zone: TimeZone): string {
  return zone === "utc" ? "UTC" : `local time, ${Intl.DateTimeFormat().resolvedOptions().timeZone}`;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** `2026-03-04T05:06:07`: a datetime-local input's value for `date`, read in `zone`. */
export function toInputValue(date: Date, zone: TimeZone): string {
  if (zone === "utc") return date.toISOString().slice(0, 19);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The instant a datetime-local value names in `zone`; undefined when it is not a complete date and time. */
export function fromInputValue(value: string, zone: TimeZone): Date | undefined {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(value);
  if (!match) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const date = zone === "utc" ? new Date(Date.UTC(y, mo - 1, d, h, mi, s)) : new Date(y, mo - 1, d, h, mi, s);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `2026-03-04 05:06:07`: how tables show a time in `zone`. */
export function formatTime(date: Date | undefined, zone: TimeZone): string {
  return date ? toInputValue(date, zone).replace("T", " ") : "";
}
