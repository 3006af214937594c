import { fork } from 'node:child_process';
import { numberArgs } from './lib/args.js';
import { nextMessage } from './lib/ipc.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import type { MemoryPlan, MemoryResult, MemorySample } from './lib/memory-child.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Issue 7: memory after many commands. A child process (node --expose-gc) runs the whole bot and sends it `commands`
 * commands through core.execute (help, pending, and a decision on a fresh run each, in equal parts), `concurrency` at
 * a time; after a forced GC it samples RSS and heap before the first command, at 10% of the commands, and at
 * 25/50/75/100%. Goal: RSS at 100% within 20% of RSS at 10% (100,000 vs 10,000 with the defaults).
 */
export const DEFAULTS = { commands: 100_000, concurrency: 16, maxMs: 900_000 };

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const machine = machineInfo();
  const n = opts.commands;
  const checkpoints = [...new Set([0.1, 0.25, 0.5, 0.75, 1].map((f) => Math.round(n * f)))];
  const plan: MemoryPlan = { checkpoints, concurrency: opts.concurrency, maxMs: opts.maxMs };
  const child = fork(new URL('./lib/memory-child.js', import.meta.url), [JSON.stringify(plan)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  type Result = { type: 'result' } & MemoryResult;
  const result = await nextMessage(child, (m: Result): m is Result => m.type === 'result', 'memory child');
  await new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
  return report(opts, checkpoints, machineLine(machine), result);
}

const mib = (bytes: number) => bytes / 2 ** 20;

function report(opts: typeof DEFAULTS, checkpoints: number[], machine: string, result: MemoryResult): string {
  const { samples, outcomes } = result;
  const base = samples[0] as MemorySample;
  const tenth = samples.find((s) => s.commands === checkpoints[0]);
  const last = samples[samples.length - 1] as MemorySample;
  const rows: Row[] = samples.map((s) => ({
    commands: s.commands,
    'RSS MiB': mib(s.rss),
    'heap used MiB': mib(s.heapUsed),
    'external MiB': mib(s.external),
    'RSS vs before': s.rss / base.rss,
    'commands/s': s.ms > 0 ? s.commands / (s.ms / 1000) : undefined,
  }));
  const ratio = tenth ? last.rss / tenth.rss : Number.NaN;
  const heapRatio = tenth ? last.heapUsed / tenth.heapUsed : Number.NaN;
  const complete = last.commands === opts.commands;
  return [
    '### Memory after many commands (`bench/memory.ts`)',
    '',
    `${opts.commands} commands through core.execute of a running bot (startRuntime, SQLite store, fake cloud in ` +
      `another process), ${opts.concurrency} at a time: help, pending, and approve/reject of a fresh run, in ` +
      `equal parts. Each row is taken after two forced GCs. Machine: ${machine}.`,
    '',
    markdownTable(rows),
    '',
    `- RSS after ${last.commands} / after ${tenth?.commands}: ${ratio.toFixed(3)}; goal ≤ 1.2: ` +
      `${complete && ratio <= 1.2 ? 'met' : 'NOT met'}${complete ? '' : ' (stopped early by --maxMs)'}`,
    `- heap used after ${last.commands} / after ${tenth?.commands}: ${heapRatio.toFixed(3)}`,
    `- outcomes: ${Object.entries(outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
  ].join('\n');
}

runIfMain(import.meta.url, main);
