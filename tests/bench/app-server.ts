/** Starts `next start` as a child process with a given environment, and talks to it over HTTP. */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export interface AppServer {
  baseUrl: string;
  /** The `next start` process (see cpu.ts for its CPU time, descendants included). */
  pid: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface AppServerOptions {
  /** Listen here instead of a free port (e.g. one already named in APP_URL). */
  port?: number;
  /** Also append the server's output to this file. */
  logFile?: string;
}

export async function startAppServer(env: Record<string, string>, nodeArgs: string[] = [], options: AppServerOptions = {}): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
  const collect = (d: Buffer) => {
    output += d.toString();
    log?.write(d);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

export async function http<T = any>(baseUrl: string, method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(baseUrl + url, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** How many of the key's emails have this status (the list's X-Total-Count, one row fetched). */
export async function countByStatus(baseUrl: string, apiKey: string, status: string): Promise<number> {
  const res = await http(baseUrl, "GET", `/api/v1/emails?status=${status}&per_page=1`, undefined, apiKey);
  return Number(res.headers.get("x-total-count"));
}

/** `task(0)` … `task(n - 1)`, at most `concurrency` at a time (the bench's load of concurrent clients). */
export async function inParallel(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
}
