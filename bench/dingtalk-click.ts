import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type FakeDingTalkGateway, startFakeDingTalkGateway } from '../src/fakes/dingtalk-gateway.js';
import { flagArg, numberArgs } from './lib/args.js';
import { botCloudEnv, botDingTalkEnv, createBenchDir } from './lib/bot-env.js';
import { levelsLine, summarizeLog } from './lib/bot-log.js';
import { type BotProcess, startBotProcess } from './lib/bot-process.js';
import { startCloudProcess } from './lib/cloud-process.js';
import { pushCardClick, pushRobotText } from './lib/dingtalk-load.js';
import { startDingTalkOpenApiProcess } from './lib/dingtalk-openapi-process.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { percentile } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';
import { tapSet } from './lib/taps.js';

/**
 * Issue 4: card click → callback answer. The fake Stream gateway (this process) pushes `burst` card-click frames at
 * once through the real dingtalk-stream client of each bot and times each push until the gateway has the answer for
 * that messageId. Ours is the whole bot (startRuntime, DingTalk Stream mode, SQLite store; every click on an open
 * approval of its own card, so each one is a real decision); the baseline is a bare DWClient that answers every
 * callback at once. Both bots, the fake cloud and the fake OpenAPI run in child processes (the fakes at nice 10);
 * bursts alternate between the bots.
 */
export const DEFAULTS = { burst: 100, bursts: 20, warmup: 2, pauseMs: 50, maxMs: 300_000 };
const FAKE_NICE = 10;
type AppName = 'ours' | 'bare';
const APPS: AppName[] = ['ours', 'bare'];

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const quiet = flagArg(argv, 'quiet');
  const memoryStore = flagArg(argv, 'memory-store');
  const machine = machineInfo();
  const dir = createBenchDir();
  const gateways: Record<AppName, FakeDingTalkGateway> = {
    ours: await startFakeDingTalkGateway(),
    bare: await startFakeDingTalkGateway(),
  };
  const cloud = await startCloudProcess();
  const openapi = await startDingTalkOpenApiProcess(gateways.ours.credentials);
  for (const pid of [cloud.pid, openapi.pid]) setPriority(pid, FAKE_NICE);
  const bots: BotProcess[] = [];
  // Answer arrival times by messageId, taken when the gateway records the client's answer frame.
  const answered = new Map<string, number>();
  for (const app of APPS) tapSet(gateways[app].responses, (id, _list, at) => void answered.set(id, at));
  const samples: Record<AppName, number[]> = { ours: [], bare: [] };
  let clicked = 0;
  try {
    const env = {
      ...botCloudEnv(cloud, dir),
      ...botDingTalkEnv(gateways.ours, openapi.url),
      OPSGATE_STORE: memoryStore ? 'memory:' : `sqlite:${dir.path('opsgate.db')}`,
    };
    bots.push(await startBotProcess({ kind: 'runtime', env, logPath: dir.path('bot.log') }));
    const { clientId, clientSecret } = gateways.bare.credentials;
    bots.push(await startBotProcess({ kind: 'bare-dingtalk', clientId, clientSecret, openUrl: gateways.bare.openUrl }));
    for (const app of APPS) await gateways[app].waitForConnection(10_000);

    /** Opens `n` approvals in ours (`pending <url>` for n fresh runs) and returns their cards' outTrackIds. */
    const openCards = async (n: number): Promise<string[]> => {
      const runs = await cloud.addHuaweiRuns(n);
      const sessions = await openapi.sessions(n);
      const before = (await openapi.snapshot()).cards;
      for (let i = 0; i < n; i += 25) {
        for (let j = i; j < Math.min(n, i + 25); j++) {
          pushRobotText(gateways.ours, `pending ${runs[j]?.url}`, sessions[j] as { url: string; expiredTime: number });
        }
        await openapi.until(
          (s) => s.cards >= before + Math.min(n, i + 25),
          (s) => `${Math.min(n, i + 25)} cards (${s.cards - before})`,
        );
      }
      const cards = openapi.cards.slice(clicked, clicked + n);
      clicked += n;
      return cards;
    };

    const runBurst = async (app: AppName, cards: string[]): Promise<number[]> => {
      const gateway = gateways[app];
      const before = app === 'ours' ? await openapi.snapshot() : undefined;
      const pushed: Array<[string, number]> = [];
      for (const card of cards) {
        const at = performance.now();
        pushed.push([pushCardClick(gateway, card, 'approve'), at]);
      }
      const deadline = Date.now() + 10_000;
      while (pushed.some(([id]) => !answered.has(id))) {
        if (Date.now() > deadline) throw new Error(`${app}: clicks not answered within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const latencies = pushed.map(([id, at]) => (answered.get(id) as number) - at);
      for (const [id] of pushed) answered.delete(id);
      // Ours: the next burst waits until these decisions have been published (one group follow-up each).
      if (before) {
        const want = before.counts.group + cards.length;
        await openapi.until(
          (s) => s.counts.group >= want,
          (s) => `${cards.length} decisions published (${s.counts.group - before.counts.group})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
      return latencies;
    };

    const started = Date.now();
    const total = opts.warmup + opts.bursts;
    for (let b = 0; b < total && Date.now() - started < opts.maxMs; b++) {
      const oursCards = await openCards(opts.burst);
      for (const app of b % 2 === 0 ? APPS : [...APPS].reverse()) {
        // The bare client answers whatever it gets: it is sent clicks on ours' cards too (same frames, same size).
        const latencies = await runBurst(app, oursCards);
        if (b >= opts.warmup) samples[app].push(...latencies);
      }
      if (!quiet && b >= opts.warmup) {
        const p99 = (app: AppName) => percentile(samples[app], 99).toFixed(1);
        console.error(`burst ${b + 1 - opts.warmup}: p99 so far ours ${p99('ours')} ms, bare ${p99('bare')} ms`);
      }
    }
    const stats = await cloud.stats();
    const log = summarizeLog(dir.path('bot.log'));
    const checks = [
      `fake cloud: ${stats.actions.pass ?? 0} CodeArts pass calls for ${total * opts.burst} clicks on ours`,
      `bot log: ${levelsLine(log.levels)}${log.problems.length > 0 ? ` (${log.problems.join('; ')})` : ''}`,
    ];
    return report(
      opts,
      `${memoryStore ? 'memory' : 'SQLite'} store. Machine: ${machineLine(machine)}`,
      samples,
      checks,
    );
  } finally {
    for (const b of bots) await b.close();
    await openapi.close();
    await cloud.close();
    for (const app of APPS) await gateways[app].close();
    dir.remove();
  }
}

function report(opts: typeof DEFAULTS, setup: string, samples: Record<AppName, number[]>, checks: string[]): string {
  const row = (name: string, s: number[]): Row => ({
    client: name,
    clicks: s.length,
    'p50 ms': percentile(s, 50),
    'p99 ms': percentile(s, 99),
    'max ms': percentile(s, 100),
  });
  const p99 = percentile(samples.ours, 99);
  return [
    '### DingTalk card click → callback answer (`bench/dingtalk-click.ts`)',
    '',
    `${opts.bursts} bursts of ${opts.burst} card clicks pushed at once per client (after ${opts.warmup} warm-up ` +
      `bursts), alternating between the clients. Goal: ours p99 < 100 ms (DingTalk allows 2 s). ${setup}.`,
    '',
    markdownTable([
      row('ours (runtime, real decisions)', samples.ours),
      row('bare DWClient, answers at once', samples.bare),
    ]),
    '',
    `- goal met: ${p99 < 100 ? 'yes' : 'NO'} (ours p99 ${p99.toFixed(1)} ms)`,
    ...checks.map((c) => `- ${c}`),
    '',
  ].join('\n');
}

runIfMain(import.meta.url, main);
