/**
 * In-process view of requests still waiting on each connection. A provider that black-holes requests
 * produces no failure until the timeout, so the breaker alone would let every email in that window pay the
 * full timeout. Once a request has been pending SLOW_PROVIDER_MS with no answer from that connection since
 * it started, new sends skip the connection at once. Per process: other instances learn it from the
 * breaker when the timeouts land.
 */
interface ConnectionState {
  pending: Map<number, number>;
  lastAnswerAt: number;
}

const states = new Map<string, ConnectionState>();
let nextToken = 1;

function state(connectionId: string): ConnectionState {
  let s = states.get(connectionId);
  if (!s) {
    s = { pending: new Map(), lastAnswerAt: 0 };
    states.set(connectionId, s);
  }
  return s;
}

export function beginAttempt(connectionId: string, now = Date.now()): number {
  const token = nextToken++;
  state(connectionId).pending.set(token, now);
  return token;
}

/** `answered`: the provider answered (success or an error response), as opposed to a timeout or reset. */
export function endAttempt(connectionId: string, token: number, answered: boolean, now = Date.now()): void {
  const s = state(connectionId);
  s.pending.delete(token);
  if (answered) s.lastAnswerAt = now;
  if (s.pending.size === 0 && now - s.lastAnswerAt > 10 * 60_000) states.delete(connectionId);
}

/** How long the oldest unanswered request has waited, if it is past the threshold. */
export function stalledFor(connectionId: string, thresholdMs: number, now = Date.now()): number | null {
  const s = states.get(connectionId);
  if (!s) return null;
  for (const startedAt of s.pending.values()) {
    if (now - startedAt >= thresholdMs && s.lastAnswerAt < startedAt) return now - startedAt;
  }
  return null;
}
