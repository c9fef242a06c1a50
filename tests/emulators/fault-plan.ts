export interface FaultOptions {
  /** How many requests (or SMTP transactions) the fault applies to; default 1. Infinity for "until healed". */
  times?: number;
  /** Seconds announced by "429" faults (Retry-After / rate-limit reset); default 2. */
  retryAfterSeconds?: number;
  /** "slow" faults: how long the provider takes before it answers normally (accepts); default 2000. */
  delayMs?: number;
  /** SMTP reply faults: answer at RCPT TO (default) or after DATA. */
  stage?: "rcpt" | "data";
}

export interface ArmedFault<F extends string> {
  fault: F;
  options: Required<Pick<FaultOptions, "retryAfterSeconds">> & FaultOptions;
}

interface Entry<F extends string> extends ArmedFault<F> {
  remaining: number;
}

/** Faults queued per target and consumed in order, one per request, until their count runs out. */
export class FaultPlan<T extends string, F extends string> {
  private readonly queues = new Map<T, Entry<F>[]>();

  add(target: T, fault: F, options: FaultOptions = {}): void {
    const entry: Entry<F> = { fault, options: { retryAfterSeconds: 2, ...options }, remaining: options.times ?? 1 };
    const queue = this.queues.get(target) ?? [];
    queue.push(entry);
    this.queues.set(target, queue);
  }

  /** The next armed fault for target, counting it as used; undefined when none. */
  take(target: T, accepts: (armed: ArmedFault<F>) => boolean = () => true): ArmedFault<F> | undefined {
    const queue = this.queues.get(target);
    const entry = queue?.find((candidate) => accepts(candidate));
    if (!queue || !entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) queue.splice(queue.indexOf(entry), 1);
    return { fault: entry.fault, options: entry.options };
  }

  clear(target?: T): void {
    if (target === undefined) this.queues.clear();
    else this.queues.delete(target);
  }
}
