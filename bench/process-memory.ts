/**
 * Memory of an app and all its processes, read from /proc (Linux): Electron's main process and
 * what it starts — zygotes, the renderer, GPU and network processes — found as the main process's
 * descendants. This works the same for any app, including a packaged one whose fuses leave no way
 * to run app.getAppMetrics() from outside.
 *
 * RSS counts a shared page in every process that maps it (Electron's 150 MB executable, fonts,
 * snapshots), so the sum over processes overstates what the app costs; PSS divides each shared page
 * among the processes sharing it, and its sum is the app's share of RAM. Both are reported.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  readonly pid: number;
  /** Chromium's --type= (renderer, gpu-process, zygote, utility), or "main". */
  readonly type: string;
  readonly rssKb: number;
  readonly pssKb: number;
}

export interface TreeMemory {
  readonly processes: readonly ProcessMemory[];
  readonly rssKb: number;
  readonly pssKb: number;
  /** RSS of the main process and of the renderer(s). */
  readonly mainRssKb: number;
  readonly rendererRssKb: number;
}

const readOr = (path: string, fallback: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process ended between the listing and the read.
    return fallback;
  }
};

/** Parent pid from /proc/<pid>/stat; the command name in parentheses may hold spaces. */
const parentOf = (pid: number): number | undefined => {
  const stat = readOr(`/proc/${pid}/stat`, '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const parent = Number(fields[1]);
  return Number.isInteger(parent) ? parent : undefined;
};

/** The pid and every process descended from it. */
export const processTree = (root: number): number[] => {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
};

const kbField = (text: string, field: string): number =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);

/**
 * Chromium's --type= switch. Matched in the whole command line: the zygote's children rewrite it
 * as one space-separated string (setproctitle), not one NUL-separated argument each.
 */
const processType = (pid: number): string =>
  /(?:^|[\s\0])--type=([^\s\0]+)/.exec(readOr(`/proc/${pid}/cmdline`, ''))?.[1] ?? 'other';

export const memoryOfTree = (root: number): TreeMemory => {
  const processes = processTree(root).map((pid): ProcessMemory => ({
    pid,
    type: pid === root ? 'main' : processType(pid),
    rssKb: kbField(readOr(`/proc/${pid}/status`, ''), 'VmRSS'),
    pssKb: kbField(readOr(`/proc/${pid}/smaps_rollup`, ''), 'Pss'),
  }));
  const sum = (list: readonly ProcessMemory[], pick: (p: ProcessMemory) => number): number =>
    list.reduce((total, p) => total + pick(p), 0);
  return {
    processes,
    rssKb: sum(processes, (p) => p.rssKb),
    pssKb: sum(processes, (p) => p.pssKb),
    mainRssKb: sum(
      processes.filter((p) => p.type === 'main'),
      (p) => p.rssKb,
    ),
    rendererRssKb: sum(
      processes.filter((p) => p.type === 'renderer'),
      (p) => p.rssKb,
    ),
  };
};
