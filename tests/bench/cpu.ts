/**
 * CPU time of processes over a measured window, so a figure can say where its time went.
 * Child processes are read from /proc/<pid>/stat (Linux only): utime + stime of the process and of every
 * descendant (`next start` may fork), plus cutime + cstime so that a descendant reaped during the window
 * still counts. This process is read with process.cpuUsage().
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * A process id (with its descendants); "self" for this process (the bench: load generator and provider
 * emulators); "postgres" for every process named postgres (the local server's backends, whoever owns them);
 * "machine" for all CPUs of the machine (/proc/stat), to tell whether the box itself is the bound.
 */
export type CpuTarget = number | "self" | "postgres" | "machine";

let ticksPerSecond: number | undefined;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface StatLine {
  ppid: number;
  command: string;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

function readStat(pid: number): StatLine | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // exited (and reaped) meanwhile
  }
  // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); ppid is field 4, utime..cstime are fields 14..17.
  const at = (field: number) => Number(fields[field - 3]);
  const command = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
  return { ppid: at(4), command, ticks: at(14) + at(15) + at(16) + at(17) };
}

/** The pid and all its descendants, found by scanning every process's parent id. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const child of allProcessIds()) {
    const stat = readStat(child);
    if (!stat) continue;
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(child);
    else children.set(stat.ppid, [child]);
  }
  const tree: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    tree.push(next);
    pending.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** CPU milliseconds (user + system) used so far by a process and its descendants. */
export function cpuOfTree(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) ticks += readStat(member)?.ticks ?? 0;
  return (ticks * 1000) / clockTicksPerSecond();
}

/** CPU milliseconds (user + system) used so far by this process, all its threads included. */
export function cpuOfSelf(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function allProcessIds(): number[] {
  return readdirSync("/proc")
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** CPU milliseconds used so far by every process with this command name (exited ones reaped by their parent count there). */
export function cpuOfCommand(command: string): number {
  let ticks = 0;
  for (const pid of allProcessIds()) {
    const stat = readStat(pid);
    if (stat?.command === command) ticks += stat.ticks;
  }
  return (ticks * 1000) / clockTicksPerSecond();
}

/** Busy CPU milliseconds of the whole machine so far, all cores (the /proc/stat cpu line without idle and iowait). */
export function cpuOfMachine(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 1000) / clockTicksPerSecond();
}

function cpuOf(target: CpuTarget): number {
  if (target === "self") return cpuOfSelf();
  if (target === "postgres") return cpuOfCommand("postgres");
  if (target === "machine") return cpuOfMachine();
  return cpuOfTree(target);
}

export interface CpuWindow<K extends string> {
  /** CPU milliseconds each target used during the window. */
  cpuMs: Record<K, number>;
  wallMs: number;
  /** Monotonic bounds of the window in microseconds, the clock V8's .cpuprofile timestamps use. */
  startUs: number;
  endUs: number;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Runs fn and reports how much CPU each target used meanwhile. Resolution is one clock tick (10 ms) per
 * child process, so windows should last seconds.
 */
export async function measureCpu<K extends string, T>(targets: Record<K, CpuTarget>, fn: () => Promise<T>): Promise<{ result: T } & CpuWindow<K>> {
  const names = Object.keys(targets) as K[];
  const before = names.map((name) => cpuOf(targets[name]));
  const startUs = monotonicUs();
  const result = await fn();
  const endUs = monotonicUs();
  const cpuMs = {} as Record<K, number>;
  names.forEach((name, i) => {
    cpuMs[name] = cpuOf(targets[name]) - before[i]!;
  });
  return { result, cpuMs, wallMs: (endUs - startUs) / 1000, startUs, endUs };
}
