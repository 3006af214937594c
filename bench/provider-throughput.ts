import { flagArg, numberArgs } from './lib/args.js';
import { startCloudProcess } from './lib/cloud-process.js';
import {
  createFetchClient,
  createOurClient,
  createSdkClient,
  type RefuseClient,
  type RefuseTarget,
} from './lib/huawei-clients.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { type MeasureResult, measure } from './lib/measure.js';
import { median } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Benchmark 1: CodeArts "refuse" calls (AK/SK) through our provider versus Node's fetch and huaweicloud-sdk-core,
 * against the fake cloud in a child process (loopback, 0 ms answers, repeatable decisions so every call is a 200).
 * Each round runs the three clients one after another (order rotated per round); the report is the median round.
 */
export const DEFAULTS = { count: 10_000, concurrency: 64, rounds: 3, warmup: 5_000, maxMs: 120_000 };

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const machine = machineInfo();
  const cloud = await startCloudProcess({ huaweiRepeatableDecisions: true });
  const { credentials, iamProjectId } = cloud.huawei;
  const target: RefuseTarget = {
    url: cloud.url,
    ak: credentials.ak,
    sk: credentials.sk,
    iamProjectId,
    run: cloud.demo.huaweiSingle,
  };
  const clients: RefuseClient[] = [createOurClient(target), createFetchClient(target), createSdkClient(target)];
  const results = new Map<string, MeasureResult[]>(clients.map((c) => [c.name, []]));
  try {
    const run = async (client: RefuseClient, count: number): Promise<MeasureResult> => {
      const r = await measure(client.name, () => client.refuse(), { ...opts, count });
      const stats = await cloud.stats();
      const ok = stats.statuses['200'] ?? 0;
      if (r.errors > 0 || ok !== r.count || stats.calls !== r.count) {
        throw new Error(`${client.name}: ${r.errors} errors (${r.firstError}), fake saw ${JSON.stringify(stats)}`);
      }
      return r;
    };
    for (const client of clients) await run(client, opts.warmup);
    for (let round = 0; round < opts.rounds; round++) {
      const order = clients.map((_, i) => clients[(i + round) % clients.length] as RefuseClient);
      for (const client of order) {
        const r = await run(client, opts.count);
        results.get(client.name)?.push(r);
        if (!flagArg(argv, 'quiet')) console.error(`round ${round + 1}: ${client.name} ${Math.round(r.rps)} req/s`);
      }
    }
  } finally {
    for (const c of clients) await c.close();
    await cloud.close();
  }
  return report(opts, machineLine(machine), clients, results);
}

function report(
  opts: typeof DEFAULTS,
  machine: string,
  clients: RefuseClient[],
  results: Map<string, MeasureResult[]>,
): string {
  const [ours, viaFetch, sdk] = clients.map((c) => results.get(c.name) ?? []) as [
    MeasureResult[],
    MeasureResult[],
    MeasureResult[],
  ];
  const med = (rs: MeasureResult[], k: 'rps' | 'p50' | 'p99' | 'cpuUsPerOp') => median(rs.map((r) => r[k]));
  const rows: Row[] = clients.map((c) => {
    const rs = results.get(c.name) ?? [];
    return {
      client: c.name,
      'req/s (median)': med(rs, 'rps'),
      'req/s per round': rs.map((r) => Math.round(r.rps)).join(', '),
      'p50 ms': med(rs, 'p50'),
      'p99 ms': med(rs, 'p99'),
      'client CPU µs/req': med(rs, 'cpuUsPerOp'),
    };
  });
  // Same-round ratios (each round's three runs share the machine's load at that time), then their median.
  const ratio = (other: MeasureResult[], k: 'rps' | 'cpuUsPerOp', inverse = false) =>
    median(
      ours.map((r, i) => {
        const o = other[i]?.[k] ?? Number.NaN;
        return inverse ? o / r[k] : r[k] / o;
      }),
    );
  const goal = (comparison: string, other: MeasureResult[], min: number): Row => {
    const rps = ratio(other, 'rps');
    return {
      comparison,
      'req/s ratio (median of rounds)': rps,
      goal: `≥ ${min}`,
      met: rps >= min ? 'yes' : 'NO',
      'client CPU per req, theirs / ours': ratio(other, 'cpuUsPerOp', true),
    };
  };
  const goals: Row[] = [goal('ours / (a) fetch', viaFetch, 1.2), goal('ours / (b) sdk-core', sdk, 2)];
  return [
    '### Provider throughput: CodeArts refuse, AK/SK',
    '',
    `${opts.count} calls per client per round, concurrency ${opts.concurrency}, ${opts.rounds} rounds, ` +
      `${opts.warmup} warm-up calls each; fake cloud in a child process. Machine: ${machine}.`,
    '',
    markdownTable(rows),
    '',
    markdownTable(goals),
    '',
  ].join('\n');
}

runIfMain(import.meta.url, main);
