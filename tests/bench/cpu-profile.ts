/**
 * Reads V8 .cpuprofile files (written by `node --cpu-prof`) and sums self time per frame, optionally only
 * for samples inside given windows. Profile timestamps are microseconds of the monotonic clock that
 * process.hrtime() reads in every process on the machine, so a window measured in the bench process
 * selects the same span in a child's profile. Frames of bundled code (the .js files under .next/server, each with a .js.map
 * beside it) are mapped back to their original source; frames of files tsx transformed (the worker) keep
 * the transformed file's line, which is close to the source's.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Window {
  startUs: number;
  endUs: number;
}

export interface FrameTime {
  functionName: string;
  /** url:line (1-based) relative to the project directory, from the source map where there is one. */
  location: string;
  /** Where the frame's code comes from: an npm package, a project directory, "node" or a V8 pseudo-frame. */
  origin: string;
  selfMs: number;
}

export interface ProfileSummary {
  files: number;
  /** Sampled time inside the windows, idle included. */
  totalMs: number;
  idleMs: number;
  /** Every frame with self time, most first; "(idle)" left out. */
  frames: FrameTime[];
  /** Self time summed per origin, most first; "(idle)" left out. */
  origins: { origin: string; selfMs: number }[];
}

/** Self time per frame, from `samples` + `timeDeltas` (each sample lasts until the next one). */
function frameTimes(profile: CpuProfile, windows: Window[] | undefined, into: Map<string, FrameTime>): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    const durationUs = i + 1 < samples.length ? (deltas[i + 1] ?? 0) : Math.max(0, profile.endTime - at);
    if (windows && !windows.some((w) => at >= w.startUs && at < w.endUs)) continue;
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    const source = url ? originalPosition(url, lineNumber, columnNumber) : undefined;
    const location = source ? `${source.file}:${source.line + 1}` : "";
    const key = `${name}\u0000${location}`;
    const entry = into.get(key) ?? { functionName: name, location, origin: source ? originOf(source.file) : name.startsWith("(") ? name : "(native)", selfMs: 0 };
    entry.selfMs += durationUs / 1000;
    into.set(key, entry);
    total += durationUs / 1000;
  }
  return total;
}

const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = sourceMaps.get(file);
  if (map === undefined) {
    try {
      map = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8"))) : null;
    } catch {
      map = null;
    }
    sourceMaps.set(file, map);
  }
  return map;
}

/** The frame's file relative to the project, and its 0-based line, through a source map when one exists. */
function originalPosition(url: string, line: number, column: number): { file: string; line: number } {
  if (!url.startsWith("file://") && !url.startsWith("/")) return { file: url, line }; // node:internal/…
  const file = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  const entry = sourceMapOf(file)?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource && entry.originalLine !== undefined) {
    const original = entry.originalSource.startsWith("file://")
      ? decodeURIComponent(new URL(entry.originalSource).pathname)
      : path.resolve(path.dirname(file), decodeURIComponent(entry.originalSource));
    return { file: relativeToProject(original), line: entry.originalLine };
  }
  return { file: relativeToProject(file), line };
}

function relativeToProject(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}

function originOf(file: string): string {
  if (file.startsWith("node:")) return "node";
  const inModules = file.lastIndexOf("node_modules/");
  if (inModules >= 0) {
    const parts = file.slice(inModules + "node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file);
  }
  const parts = file.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file);
}

/**
 * Summarises every .cpuprofile in a directory (one per thread of the profiled process: the main thread and,
 * for example, a module-loader hooks thread), counting only samples inside the windows when given.
 */
export function summarizeProfiles(dir: string, windows?: Window[]): ProfileSummary {
  const files = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  const frames = new Map<string, FrameTime>();
  let totalMs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    totalMs += frameTimes(profile, windows, frames);
  }
  const idleMs = [...frames.values()].filter((f) => f.functionName === "(idle)").reduce((sum, f) => sum + f.selfMs, 0);
  const busy = [...frames.values()].filter((f) => f.functionName !== "(idle)").sort((a, b) => b.selfMs - a.selfMs);
  const origins = new Map<string, number>();
  for (const frame of busy) origins.set(frame.origin, (origins.get(frame.origin) ?? 0) + frame.selfMs);
  const byOrigin = [...origins].map(([origin, selfMs]) => ({ origin, selfMs })).sort((a, b) => b.selfMs - a.selfMs);
  return { files: files.length, totalMs, idleMs, frames: busy, origins: byOrigin };
}

/** The top frames by self time as a small table; percentages are of the busy (non-idle) sampled time. */
export function formatTopFrames(title: string, summary: ProfileSummary, top = 10): string {
  const busyMs = summary.totalMs - summary.idleMs;
  const lines = [
    `-- ${title}: ${busyMs.toFixed(0)} ms busy of ${summary.totalMs.toFixed(0)} ms sampled (${summary.files} profile file${summary.files === 1 ? "" : "s"})`,
    `   self ms      %  function  (url:line)`,
  ];
  if (summary.files === 0) lines.push("   no .cpuprofile was written (the process did not exit normally)");
  const share = (ms: number) => (busyMs > 0 ? (100 * ms) / busyMs : 0).toFixed(1);
  for (const frame of summary.frames.slice(0, top)) {
    lines.push(`   ${frame.selfMs.toFixed(0).padStart(7)} ${share(frame.selfMs).padStart(6)}  ${frame.functionName}${frame.location ? `  (${frame.location})` : ""}`);
  }
  if (summary.origins.length > 0) {
    lines.push(`   by origin: ${summary.origins.slice(0, top).map((o) => `${o.origin} ${share(o.selfMs)}%`).join(", ")}`);
  }
  return lines.join("\n");
}
