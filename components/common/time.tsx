"use client";
import { useSyncExternalStore } from "react";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

export function formatRelative(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return relative.format(Math.round(seconds / size), unit);
  }
  return "";
}

export function formatDateTime(value: string | Date): string {
  return absolute.format(new Date(value));
}

const TICK_MS = 30_000;

// The server renders absolute times; the browser switches to "3 minutes ago" after hydration (no mismatch)
// and moves them on every 30 seconds.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  now = Date.now();
  queueMicrotask(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
const clientNow = () => now;
const serverNow = () => null;

/** "3 minutes ago", with the exact time on hover and for screen readers (<time dateTime>). */
export function RelativeTime({ value }: { value: string | Date | null | undefined }) {
  const current = useSyncExternalStore(subscribe, clientNow, serverNow);
  if (!value) return <span className="text-slate-400">—</span>;
  const date = new Date(value);
  // A time newer than the clock's last tick (a row just written) is "now", not "in 3 seconds".
  const reference = current !== null && date.getTime() > current && date.getTime() - current <= TICK_MS ? date.getTime() : current;
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)} className="whitespace-nowrap">
      {reference === null ? formatDateTime(date) : formatRelative(date, reference)}
    </time>
  );
}
