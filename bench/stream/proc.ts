/** CPU time and memory of processes, read from /proc (Linux). */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const TICKS = 100; // USER_HZ on Linux

/** The fields of /proc/<pid>/stat after "(comm) ": state=0, ppid=1 … utime=11 stime=12 cutime=13 cstime=14. */
function procStat(pid: number): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
}

/** CPU seconds of a process (all its threads), plus those of its reaped children when asked. */
export function cpuSeconds(pid: number, children = false): number {
  const f = procStat(pid);
  return (f[11] + f[12] + (children ? f[13] + f[14] : 0)) / TICKS;
}

/** The postmaster of a cluster, from its data directory. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function livePids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** A cluster's CPU seconds: the postmaster, its exited (reaped) backends and the live ones. */
export function clusterCpu(dataDir: string): number {
  const postmaster = postmasterPid(dataDir);
  let total = cpuSeconds(postmaster, true);
  for (const pid of livePids()) {
    try {
      if (procStat(pid)[1] === postmaster) total += cpuSeconds(pid, true);
    } catch {
      // the process exited meanwhile
    }
  }
  return total;
}

/** The pid of the live process whose command line contains `needle` and whose name is `comm`. */
export function findPid(comm: string, needle: string): number | undefined {
  for (const pid of livePids()) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) return pid;
    } catch {
      // the process exited meanwhile
    }
  }
  return undefined;
}

/** Peak resident set size (VmHWM) of a live process, in MB. */
export function peakRssMb(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** "model name", cores and RAM of this machine, and its load average. */
export function machine(): { cpu: string; cores: number; ramGb: number; load: string } {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const mem = /^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  const ramGb = mem ? Number(mem[1]) / 1024 / 1024 : NaN;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return { cpu, cores, ramGb, load };
}
