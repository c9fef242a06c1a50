/**
 * Foreground work: requests someone is waiting on (the REST API's, from the moment their body is read: a
 * client trickling a body costs no CPU and must not count). The local engine delivers in the background of
 * the same process and watches this count, so that a burst of sends is answered first and delivered right
 * after (server/jobs/engine/foreground-yield.ts).
 *
 * Kept on globalThis: Next.js bundles route handlers and instrumentation (which starts the engine)
 * separately, and both must see one count.
 */
interface ForegroundCount {
  inFlight: number;
  /** The most in flight at once since the last `takeForegroundPeak()`, so that short ones between two samples count. */
  peak: number;
}

const globalForForeground = globalThis as unknown as { courierxForeground?: ForegroundCount };
const count: ForegroundCount = (globalForForeground.courierxForeground ??= { inFlight: 0, peak: 0 });

/** Counts foreground work from now until the returned function is called (once; later calls do nothing). */
export function enterForeground(): () => void {
  count.peak = Math.max(count.peak, ++count.inFlight);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    count.inFlight--;
  };
}

/** The most foreground requests in flight at once since the last call. */
export function takeForegroundPeak(): number {
  const peak = count.peak;
  count.peak = count.inFlight;
  return peak;
}
