/**
 * Runs once when the Next.js server starts. In the Node runtime it opens the database (the embedded
 * default migrates itself here), so the first request does not pay for it and a broken configuration
 * fails at start-up with a clear message.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: from here on every request carries its socket peer in a header no client can forge.
  const { installRequestStamp } = await import("./server/http/request-stamp");
  installRequestStamp();
  // The environment is read; from here on it is a plain object (see pinProcessEnv: the SDK copies it per call).
  const { pinProcessEnv } = await import("./server/env");
  pinProcessEnv();
  const { startServer } = await import("./server/start");
  await startServer();
}
