import { setPriority } from 'node:os';
import { flagArg, numberArgs, numberListArg } from './lib/args.js';
import { BENCH_SIGNING_SECRET, BENCH_SLACK_CHANNEL, botCloudEnv, botSlackEnv, createBenchDir } from './lib/bot-env.js';
import { levelsLine, summarizeLog } from './lib/bot-log.js';
import { type BotProcess, startBotProcess } from './lib/bot-process.js';
import { burst } from './lib/burst.js';
import { startCloudProcess } from './lib/cloud-process.js';
import { createPoster, type Poster, type SignedRequest } from './lib/http-poster.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { type SlackApiProcess, type SlackSnapshot, startSlackApiProcess } from './lib/slack-api-process.js';
import { approveClick, slashCommand } from './lib/slack-load.js';
import { median, percentile } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Issue 3: how long Slack waits for the acknowledgement (the HTTP answer to POST /slack/events) of `/ops help`,
 * `/ops pending <url>` and Approve clicks, in bursts of 50 and 200 requests sent at once. Ours is the whole bot
 * (startRuntime: Bolt HTTPReceiver behind the bot's node:http server, SQLite store) in a child process; the baseline
 * is a bare Bolt app (same receiver and App options, listeners that only ack) in another. This process only sends
 * and times requests; the fake cloud and the fake Slack Web API (where the bot's later work lands) run in their own
 * child processes at a lower priority. Bursts alternate between the two bots, so both see the same machine load.
 */
export const DEFAULTS = { count: 1_000, rounds: 5, warmup: 200, pauseMs: 50, maxMs: 300_000 };
/** Priority of the fake cloud and fake Slack API processes (the bots and this process stay at 0). */
export const FAKE_NICE = 10;
const KINDS = ['help', 'pending', 'approve'] as const;
type Kind = (typeof KINDS)[number];
type AppName = 'ours' | 'bare';
const APPS: AppName[] = ['ours', 'bare'];

interface KindResult {
  /** Ack latencies (ms) per bot. */
  samples: Record<AppName, number[]>;
  /** Bot CPU per request (µs), including ours' work after the ack, until it reached the fake Slack API. */
  cpuUs: Record<AppName, number>;
}

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const sizes = numberListArg(argv, 'concurrency', [50, 200]);
  const quiet = flagArg(argv, 'quiet');
  const memoryStore = flagArg(argv, 'memory-store');
  const machine = machineInfo();
  const dir = createBenchDir();
  const cloud = await startCloudProcess();
  const slack: SlackApiProcess = await startSlackApiProcess();
  // The fakes stand for remote services: at nice 10 their CPU time does not preempt the bots or the load generator.
  for (const pid of [cloud.pid, slack.pid]) setPriority(pid, FAKE_NICE);
  const bots: BotProcess[] = [];
  const posters: Poster[] = [];
  const results = new Map<string, KindResult[]>();
  let clicked = 0;
  try {
    const env = {
      ...botCloudEnv(cloud, dir),
      ...botSlackEnv(slack),
      OPSGATE_STORE: memoryStore ? 'memory:' : `sqlite:${dir.path('opsgate.db')}`,
    };
    // --profile: V8 CPU profile of our bot process, written to ./prof (open it in Chrome DevTools).
    const execArgv = flagArg(argv, 'profile') ? ['--cpu-prof', '--cpu-prof-dir=prof'] : [];
    const ours = await startBotProcess({ kind: 'runtime', env, logPath: dir.path('bot.log') }, { execArgv });
    const bare = await startBotProcess({ kind: 'bare-slack', signingSecret: BENCH_SIGNING_SECRET, botToken: 'xoxb-x' });
    bots.push(ours, bare);
    const apps: Record<AppName, { bot: BotProcess; poster: Poster }> = {
      ours: { bot: ours, poster: createPoster(`http://127.0.0.1:${ours.port}`, '/slack/events') },
      bare: { bot: bare, poster: createPoster(`http://127.0.0.1:${bare.port}`, '/slack/events') },
    };
    posters.push(apps.ours.poster, apps.bare.poster);

    const prepare = async (app: AppName, kind: Kind, n: number): Promise<SignedRequest[]> => {
      if (kind === 'help') return Array.from({ length: n }, () => slashCommand(slack, 'help'));
      if (kind === 'pending') {
        const urls =
          app === 'ours'
            ? (await cloud.addHuaweiRuns(n)).map((r) => r.url)
            : Array.from({ length: n }, () => cloud.demo.huaweiSingle.url);
        return urls.map((url) => slashCommand(slack, `pending ${url}`));
      }
      if (app === 'bare') {
        const fake = {
          approvalId: '00000000-0000-4000-8000-000000000000',
          channel: BENCH_SLACK_CHANNEL,
          ts: '1.000001',
        };
        return Array.from({ length: n }, () => approveClick(slack, fake));
      }
      // Each click on an approval nobody has clicked yet: the ones the `pending` bursts just opened.
      await slack.snapshot();
      const targets = slack.approvals.slice(clicked, clicked + n);
      if (targets.length < n) throw new Error(`only ${targets.length} unclicked approvals for ${n} clicks`);
      clicked += n;
      return targets.map((t) => approveClick(slack, t));
    };

    /** `n` requests of one kind per bot, in bursts of `size`, alternating between the bots burst by burst. */
    const runKind = async (kind: Kind, size: number, n: number): Promise<KindResult> => {
      const requests = { ours: await prepare('ours', kind, n), bare: await prepare('bare', kind, n) };
      const samples: Record<AppName, number[]> = { ours: [], bare: [] };
      const cpu0 = { ours: (await ours.usage()).cpuUs, bare: (await bare.usage()).cpuUs };
      const started = Date.now();
      for (let offset = 0, b = 0; offset < n && Date.now() - started < opts.maxMs; offset += size, b++) {
        for (const app of b % 2 === 0 ? APPS : [...APPS].reverse()) {
          const { poster } = apps[app];
          const chunk = requests[app].slice(offset, offset + size);
          const before = app === 'ours' ? await slack.snapshot() : undefined;
          await poster.warm(chunk.length);
          const result = await burst(chunk.length, async (i) => {
            const status = await poster.post(chunk[i] as SignedRequest);
            if (status !== 200) throw new Error(`HTTP ${status}`);
          });
          if (result.errors > 0) throw new Error(`${app} ${kind}: ${result.errors} errors (${result.firstError})`);
          samples[app].push(...result.latencies);
          // The next burst starts once ours' work after these acks has reached the fake Slack API …
          if (before) await settled(slack, kind, chunk.length, before);
          // … and both bots meet every burst idle (otherwise only ours would be woken from sleep by each burst).
          await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
        }
      }
      const cpuUs = {
        ours: ((await ours.usage()).cpuUs - cpu0.ours) / samples.ours.length,
        bare: ((await bare.usage()).cpuUs - cpu0.bare) / samples.bare.length,
      };
      return { samples, cpuUs };
    };

    for (const kind of KINDS) await runKind(kind, sizes[0] ?? 50, opts.warmup);
    for (let round = 0; round < opts.rounds; round++) {
      for (const size of sizes) {
        for (const kind of KINDS) {
          const r = await runKind(kind, size, opts.count);
          results.set(`${kind} ${size}`, [...(results.get(`${kind} ${size}`) ?? []), r]);
          if (!quiet) {
            const p99 = (app: AppName) => percentile(r.samples[app], 99).toFixed(1);
            console.error(`round ${round + 1} ${kind} ×${size}: p99 ours ${p99('ours')} ms, bare ${p99('bare')} ms`);
          }
        }
      }
    }
    const stats = await cloud.stats();
    const log = summarizeLog(dir.path('bot.log'));
    const checks = [
      `fake cloud: ${stats.actions.pass ?? 0} CodeArts pass calls for ${clicked} Approve clicks on ours`,
      `bot log: ${levelsLine(log.levels)}${log.problems.length > 0 ? ` (${log.problems.join('; ')})` : ''}`,
    ];
    return report(opts, sizes, machineLine(machine), memoryStore, results, checks);
  } finally {
    for (const p of posters) await p.close();
    for (const b of bots) await b.close();
    await slack.close();
    await cloud.close();
    dir.remove();
  }
}

/** Resolves once ours' work after a burst of `n` acks has reached the fake Slack API. */
async function settled(slack: SlackApiProcess, kind: Kind, n: number, before: SlackSnapshot): Promise<void> {
  const was = before.counts;
  if (kind === 'help') {
    return slack.until(
      (s) => s.counts.responseUrl >= was.responseUrl + n,
      (s) => `${n} help answers (${s.counts.responseUrl - was.responseUrl})`,
    );
  }
  if (kind === 'pending') {
    return slack.until(
      (s) => s.approvals >= before.approvals + n,
      (s) => `${n} approval messages (${s.approvals - before.approvals})`,
    );
  }
  return slack.until(
    (s) => s.counts.final >= was.final + n && s.counts.threadReply >= was.threadReply + n,
    (s) =>
      `${n} decided approvals (${s.counts.final - was.final} updates, ${s.counts.threadReply - was.threadReply} replies)`,
  );
}

function report(
  opts: typeof DEFAULTS,
  sizes: number[],
  machine: string,
  memoryStore: boolean,
  results: Map<string, KindResult[]>,
  checks: string[],
): string {
  const rows: Row[] = [];
  for (const kind of KINDS) {
    for (const size of sizes) {
      const rounds = results.get(`${kind} ${size}`) ?? [];
      const all = (app: AppName) => rounds.flatMap((r) => r.samples[app]);
      const ratios = rounds.map((r) => percentile(r.samples.ours, 99) / percentile(r.samples.bare, 99));
      const ratio = percentile(all('ours'), 99) / percentile(all('bare'), 99);
      rows.push({
        request: kind === 'approve' ? 'Approve click' : `/ops ${kind}`,
        burst: size,
        'ours p50 ms': percentile(all('ours'), 50),
        'ours p99 ms': percentile(all('ours'), 99),
        'bare p50 ms': percentile(all('bare'), 50),
        'bare p99 ms': percentile(all('bare'), 99),
        'p99 ours / bare': ratio,
        'per round': ratios.map((x) => x.toFixed(2)).join(', '),
        met: ratio <= 1.2 ? 'yes' : 'NO',
        'ours CPU µs/req': median(rounds.map((r) => r.cpuUs.ours)),
        'bare CPU µs/req': median(rounds.map((r) => r.cpuUs.bare)),
      });
    }
  }
  return [
    '### Slack acknowledgement latency (`bench/slack-ack.ts`)',
    '',
    `${opts.count} requests per bot, kind and burst size in each of ${opts.rounds} rounds (bursts alternate between ` +
      `the bots), after ${opts.warmup} warm-up requests of each kind; store: ${memoryStore ? 'memory' : 'SQLite'}. ` +
      `Percentiles over all rounds; goal: p99 ours / bare ≤ 1.2. Machine: ${machine}.`,
    '',
    markdownTable(rows),
    '',
    ...checks.map((c) => `- ${c}`),
    '',
  ].join('\n');
}

runIfMain(import.meta.url, main);
