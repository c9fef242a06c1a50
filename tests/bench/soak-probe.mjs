// Preloaded into the soak's app processes (NODE_OPTIONS=--import): every SOAK_SAMPLE_MS (10 s) each process
// appends one JSON line to SOAK_PROBE_FILE with its RSS, heap and event-loop delay (p50/p99/max over the last
// interval, from perf_hooks.monitorEventLoopDelay), so the soak reads the server from inside, not by probing it.
import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.SOAK_PROBE_FILE;
if (file) {
  const every = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    const line = {
      pid: process.pid,
      at: Date.now(),
      rss_mb: memory.rss / 2 ** 20,
      heap_mb: memory.heapUsed / 2 ** 20,
      eld_p50_ms: delay.percentile(50) / 1e6,
      eld_p99_ms: delay.percentile(99) / 1e6,
      eld_max_ms: delay.max / 1e6,
    };
    delay.reset();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, every);
  timer.unref();
}
