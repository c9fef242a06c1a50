/** The local engine's public surface. */
export { createLocalEngine, type EnqueueResult, type LocalEngine, type LocalEngineOptions } from "./engine";
export { defaultBackoff, type Backoff } from "./durations";
export { localClientOptions, type LocalClientOptions } from "./local-client";
export type { RunStatus, RunView } from "./run-types";
export { getLocalEngine, localEngineEnabled, type LocalEngineRole, setLocalEngine, startLocalEngine, stopLocalEngine } from "./singleton";
