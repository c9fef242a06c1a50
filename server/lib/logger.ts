/**
 * One-line JSON logs. Secrets never reach here by design (services log ids and reasons, not payloads);
 * the sink is swappable so tests can capture every line and prove it.
 */
type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogSink = (line: string, level: Level) => void;

const defaultSink: LogSink = (line, level) => {
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
};

let sink: LogSink = defaultSink;
let threshold = ORDER.info;

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold) return;
  const record: Record<string, unknown> = { time: new Date().toISOString(), level, msg: message, ...fields };
  if (fields?.error instanceof Error) {
    record.error = { name: fields.error.name, message: fields.error.message, stack: fields.error.stack };
  }
  sink(JSON.stringify(record), level);
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};

export function setLogLevel(level: Level | "silent"): void {
  threshold = ORDER[level];
}

/** Replaces the sink (tests capture lines); returns a function that restores the previous one. */
export function setLogSink(next: LogSink, level: Level = "debug"): () => void {
  const previous = { sink, threshold };
  sink = next;
  threshold = ORDER[level];
  return () => {
    sink = previous.sink;
    threshold = previous.threshold;
  };
}
