// CPU time of other processes, from Linux's /proc: what the benchmark needs for
// the processes it does not run through a client of its own (the WebSocket
// bridge, Chromium's browser, renderer and utility processes).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second, the unit of /proc/PID/stat's times (100 on nearly every Linux). */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * /proc/PID/stat's fields after the command name (which may hold spaces and
 * parentheses, hence the split at the last ')'), or null when the process is gone.
 */
function statFields(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user and system, all threads) process `pid` has used, or null when it is gone. */
export function processCpuSeconds(pid) {
  const fields = statFields(pid);
  // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name and state.
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS : null;
}

/** The ids of every process below `pid` (children, their children, ...), read from /proc. */
export function descendants(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    // Field 4 of stat (ppid) is 1 after the name and state.
    if (fields) parents.set(Number(entry), Number(fields[1]));
  }
  const found = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = [];
    for (const [child, parent] of parents) if (frontier.includes(parent)) next.push(child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** CPU seconds used by `pid` and every process below it that is still running. */
export function treeCpuSeconds(pid) {
  return [pid, ...descendants(pid)].reduce((total, id) => total + (processCpuSeconds(id) ?? 0), 0);
}

/**
 * CPU seconds the whole machine has been busy, every core summed (/proc/stat's
 * first line: all but idle and iowait), so that a run can tell how much of the
 * machine other processes took while it ran.
 */
export function machineCpuSeconds() {
  try {
    const [first] = fs.readFileSync('/proc/stat', 'utf8').split('\n');
    const [user, nice, system, , , irq, softirq, steal] = first.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) / TICKS;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds this process and everything below it has used: its own, its
 * waited-for children's (a client that has exited, fields 16 and 17 of stat),
 * and those of every process still running below it (the server, the bridge,
 * Chromium). With machineCpuSeconds, it tells the benchmark's CPU from the rest.
 */
export function ownTreeCpuSeconds() {
  const fields = statFields(process.pid);
  const own = fields ? (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS : NaN;
  return descendants(process.pid).reduce((total, pid) => {
    const f = statFields(pid);
    return f ? total + (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS : total;
  }, own);
}

/** The ids of our own child processes whose command line contains `text`. */
export function childrenMatching(text) {
  return descendants(process.pid).filter((pid) => {
    try {
      const fields = statFields(pid);
      return fields && Number(fields[1]) === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}
