/**
 * Cron triggers: standard five-field expressions (minute hour day-of-month month day-of-week) with `*`,
 * lists, ranges, steps (`*\/5`, `1-10/2`), month and weekday names, the @hourly/@daily/@weekly/@monthly/
 * @yearly macros and an optional `TZ=UTC ` prefix. Evaluated in UTC; other time zones are refused at sync.
 */
export interface CronSchedule {
  readonly source: string;
  /** The first tick strictly after `afterMs` (epoch ms, minute precision). */
  next(afterMs: number): number;
}

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
  values: Set<number>;
  /** `*` (or `?`): day-of-month and day-of-week combine with OR only when both are restricted. */
  any: boolean;
}

function parseField(text: string, min: number, max: number, names: string[] = [], nameOffset = 0): Field {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + nameOffset : Number(token);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${token}" is out of range ${min}-${max}`);
    return n;
  };
  for (const part of text.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`bad step "${part}"`);
    let from: number;
    let to: number;
    if (range === "*" || range === "?") {
      from = min;
      to = max;
    } else if (range.includes("-")) {
      const [a = "", b = ""] = range.split("-");
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, any: text === "*" || text === "?" };
}

export function parseCron(source: string): CronSchedule {
  let text = source.trim();
  const tz = /^(?:CRON_)?TZ=(\S+)\s+/.exec(text);
  if (tz) {
    if (!["UTC", "Etc/UTC", "GMT"].includes(tz[1]!)) throw new Error(`cron time zone ${tz[1]} is not supported by the local engine (UTC only): ${source}`);
    text = text.slice(tz[0].length);
  }
  text = MACROS[text] ?? text;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron must have five fields (minute hour day month weekday): ${source}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = [
    parseField(parts[0]!, 0, 59),
    parseField(parts[1]!, 0, 23),
    parseField(parts[2]!, 1, 31),
    parseField(parts[3]!, 1, 12, MONTHS, 1),
    parseField(parts[4]!.replace(/\b7\b/g, "0"), 0, 6, DAYS),
  ];
  const dayMatches = (d: Date) => {
    const dom = dayOfMonth.values.has(d.getUTCDate());
    const dow = dayOfWeek.values.has(d.getUTCDay());
    if (dayOfMonth.any) return dow;
    if (dayOfWeek.any) return dom;
    return dom || dow;
  };
  return {
    source,
    next(afterMs) {
      const d = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
      // Jump by month, day and hour where possible; bounded so an impossible date (31 Feb) cannot spin.
      for (let guard = 0; guard < 100_000; guard++) {
        if (!month.values.has(d.getUTCMonth() + 1)) {
          d.setUTCMonth(d.getUTCMonth() + 1, 1);
          d.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(d)) {
          d.setUTCDate(d.getUTCDate() + 1);
          d.setUTCHours(0, 0, 0, 0);
        } else if (!hour.values.has(d.getUTCHours())) {
          d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
        } else if (!minute.values.has(d.getUTCMinutes())) {
          d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
        } else {
          return d.getTime();
        }
      }
      throw new Error(`cron never fires: ${source}`);
    },
  };
}
