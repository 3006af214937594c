import { createWriteStream } from 'node:fs';
import { createLogger } from '../../src/app/logger.js';
import { startRuntime } from '../../src/app/runtime.js';
import type { HuaweiRunSeed } from '../../src/fakes/cloud/fake-huawei-types.js';
import { botCloudEnv, createBenchDir } from './bot-env.js';
import { startCloudProcess } from './cloud-process.js';

/** What the memory benchmark asks of this child (argv[2], JSON). */
export interface MemoryPlan {
  /** Command counts after which memory is sampled, ascending; the last one is the total. */
  checkpoints: number[];
  concurrency: number;
  maxMs: number;
}

export interface MemorySample {
  commands: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Wall time since the first command, ms. */
  ms: number;
}

export interface MemoryResult {
  samples: MemorySample[];
  /** Outcomes by operation and result: `help ok`, `review.approve ok`, `review.pending INPUT.…`, … */
  outcomes: Record<string, number>;
}

declare const gc: () => void;

function sample(commands: number, started: number): MemorySample {
  // Twice: the first full collection can leave work (weak callbacks, finalizers) for the second.
  gc();
  gc();
  const m = process.memoryUsage();
  const ms = commands === 0 ? 0 : Date.now() - started;
  return { commands, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, ms };
}

/**
 * Child-process entry (node --expose-gc): the whole bot (startRuntime, SQLite store, both clouds at a fake cloud in a
 * grandchild process) runs commands through core.execute — a third each of `help`, `pending <url>` and a decision
 * (approve or reject) on a run of its own — and samples RSS and heap after a forced GC at each checkpoint.
 */
async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '{}') as MemoryPlan;
  const dir = createBenchDir('opsgate-memory-');
  const cloud = await startCloudProcess();
  const env = { ...botCloudEnv(cloud, dir), OPSGATE_STORE: `sqlite:${dir.path('opsgate.db')}` };
  const log = createWriteStream(dir.path('bot.log'));
  const runtime = await startRuntime({ env, logger: createLogger({ level: 'info', destination: log }) });
  const outcomes: Record<string, number> = {};
  const samples: MemorySample[] = [sample(0, 0)];
  const pendingUrl = cloud.demo.huaweiSingle.url;
  // Fresh runs, fetched from the fake cloud in batches ahead of need: each decision is on a review still waiting.
  const runs: HuaweiRunSeed[] = [];
  let refilling: Promise<void> | undefined;
  const refill = () => {
    refilling ??= cloud.addHuaweiRuns(1_000).then((more) => {
      runs.push(...more);
      refilling = undefined;
    });
    return refilling;
  };
  const freshRun = async (): Promise<HuaweiRunSeed> => {
    if (runs.length < 200) void refill();
    while (runs.length === 0) await refill();
    return runs.shift() as HuaweiRunSeed;
  };
  const text = async (i: number): Promise<string> => {
    if (i % 3 === 0) return 'help';
    if (i % 3 === 1) return `pending ${pendingUrl}`;
    const run = await freshRun();
    return i % 6 === 2 ? `approve ${run.url}` : `reject ${run.url} memory benchmark`;
  };
  const started = Date.now();
  let next = 0;
  let done = 0;
  for (const checkpoint of plan.checkpoints) {
    const worker = async () => {
      while (next < checkpoint && Date.now() - started < plan.maxMs) {
        const i = next++;
        const outcome = await runtime.core.execute({ subject: 'cli:bench', text: await text(i) });
        const key = outcome.ok ? `${outcome.operation} ok` : `${outcome.error.code}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        done++;
      }
    };
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
    // The fake cloud keeps a record per request until asked for its counts: keep the grandchild's memory flat.
    await cloud.stats();
    samples.push(sample(done, started));
    if (done < checkpoint) break;
  }
  await runtime.stop();
  await cloud.close();
  dir.remove();
  process.send?.({ type: 'result', samples, outcomes } satisfies { type: 'result' } & MemoryResult);
  process.disconnect?.();
}

main().catch((err: unknown) => {
  console.error('memory child failed', err);
  process.exit(1);
});
