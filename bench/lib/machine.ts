import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpu: string;
  memGiB: number;
  node: string;
  /** 1-minute load average when the run started: other processes share the cores. */
  load1: number;
  date: string;
}

/**
 * What the README records next to every result.
 * @example
 * console.log(machineLine(machineInfo())); // "2 cores (Intel Xeon), 24 GiB, node v20.20.2, load 0.6, 2025-…"
 */
export function machineInfo(): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
  };
}

export function machineLine(m: MachineInfo): string {
  return `${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB, node ${m.node}, load ${m.load1} at start, ${m.date}`;
}
