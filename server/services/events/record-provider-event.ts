/** Records one verified, normalized provider event (implementation in progress: see the events issue). */
import type { ProviderEvent, ProviderEventSource, RecordOutcome } from "./event-types";

export async function recordProviderEvent(source: ProviderEventSource, event: ProviderEvent): Promise<RecordOutcome> {
  void source;
  void event;
  throw new Error("recordProviderEvent: not implemented yet");
}
