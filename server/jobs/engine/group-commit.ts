/**
 * Group commit: items submitted while a flush is in progress are written together by the next flush.
 * Idle, an item is flushed at once (no added latency); under load, one statement carries many runs'
 * writes, which is where the engine's database time goes (one write per step per run).
 */
import { logger } from "../../lib/logger";

export class GroupCommit<T, R> {
  private queue: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  /**
   * `flush` writes a batch and returns one result per item, in order. `key` identifies items that must
   * not share a batch (two writes of one run go to consecutive batches, keeping their order).
   */
  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly key: (item: T) => string,
    private readonly maxBatch: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let writes issued in the same tick join the first batch.
        setImmediate(() => this.drain());
      }
    });
  }

  private drain(): void {
    this.flushNext()
      .catch((error: unknown) => logger.error("group commit failed unexpectedly", { error }))
      .finally(() => {
        if (this.queue.length > 0) setImmediate(() => this.drain());
        else this.flushing = false;
      });
  }

  private async flushNext(): Promise<void> {
    const batch: typeof this.queue = [];
    const rest: typeof this.queue = [];
    const keys = new Set<string>();
    for (const entry of this.queue) {
      const key = this.key(entry.item);
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(entry);
      } else {
        rest.push(entry);
      }
    }
    this.queue = rest;
    try {
      const results = await this.flush(batch.map((e) => e.item));
      batch.forEach((entry, i) => entry.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One bad item must not fail the others: write them one by one to isolate it.
      for (const entry of batch) {
        try {
          const [result] = await this.flush([entry.item]);
          entry.resolve(result!);
        } catch (single) {
          entry.reject(single);
        }
      }
    }
  }
}
