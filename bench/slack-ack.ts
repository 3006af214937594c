import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { flagArg, numberArgs, numberListArg } from './lib/args.js';
import { BENCH_SIGNING_SECRET, BENCH_SLACK_CHANNEL, botCloudEnv, botSlackEnv, createBenchDir } from './lib/bot-env.js';
import { levelsLine, summarizeLog } from './lib/bot-log.js';
import { type BotProcess, startBotProcess } from './lib/bot-process.js';
import { burst } from './lib/burst.js';
import { startCloudProcess } from './lib/cloud-process.js';
import { createPoster, type Poster, type SignedRequest } from './lib/http-poster.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { isMain } from './lib/main.js';
import { type SlackApiProcess, type SlackSnapshot, startSlackApiProcess } from './lib/slack-api-process.js';
import { approveClick, slashCommand } from './lib/slack-load.js';
import { type LatencySummary, median, summarize } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Issue 3: how long Slack waits for the acknowledgement (the HTTP answer to POST /slack/events) of `/ops help`,
 * `/ops pending <url>` and Approve clicks, with 50 and 200 requests in flight. Ours is the whole bot (startRuntime:
 * Bolt HTTPReceiver behind the bot's node:http server, SQLite store, fake cloud in a child process) in a child
 * process; the baseline is a bare Bolt app (same receiver options, listeners that only ack) in a child process. This
 * process plays Slack: it sends signed requests and runs the fake Web API that receives the bot's later work.
 */
export const DEFAULTS = { count: 1_000, rounds: 3, warmup: 300, pauseMs: 50, maxMs: 120_000 };
/** Priority of the fake cloud and fake Slack API processes (the bots and this process stay at 0). */
export const FAKE_NICE = 10;
const KINDS = ['help', 'pending', 'approve'] as const;
type Kind = (typeof KINDS)[number];
type AppName = 'ours' | 'bare';

interface SetResult extends LatencySummary {
  count: number;
  /** CPU of the bot process per request, including the work after the ack (ours: until it has all arrived). */
  botCpuUs: number;
}

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const levels = numberListArg(argv, 'concurrency', [50, 200]);
  const quiet = flagArg(argv, 'quiet');
  const memoryStore = flagArg(argv, 'memory-store');
  const machine = machineInfo();
  const dir = createBenchDir();
  const cloud = await startCloudProcess();
  const slack: SlackApiProcess = await startSlackApiProcess();
  // The fakes stand for remote services: at nice 10 their CPU time does not preempt the bot or the load generator.
  for (const pid of [cloud.pid, slack.pid]) setPriority(pid, FAKE_NICE);
  const bots: BotProcess[] = [];
  const posters: Poster[] = [];
  const results = new Map<string, SetResult[]>();
  let clicked = 0;
  let clicks = 0;
  try {
    const env = {
      ...botCloudEnv(cloud, dir),
      ...botSlackEnv(slack),
      OPSGATE_STORE: memoryStore ? 'memory:' : `sqlite:${dir.path('opsgate.db')}`,
    };
    // --profile: V8 CPU profile of our bot process, written to ./prof (open it in Chrome DevTools).
    const execArgv = flagArg(argv, 'profile') ? ['--cpu-prof', '--cpu-prof-dir=prof'] : [];
    const ours = await startBotProcess({ kind: 'runtime', env, logPath: dir.path('bot.log') }, { execArgv });
    const bare = await startBotProcess({
      kind: 'bare-slack',
      signingSecret: BENCH_SIGNING_SECRET,
      botToken: slack.botToken,
    });
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
      // Each click on an approval nobody has clicked yet: the ones the previous `pending` set opened.
      await slack.snapshot();
      const targets = slack.approvals.slice(clicked, clicked + n);
      if (targets.length < n) throw new Error(`only ${targets.length} unclicked approvals for ${n} clicks`);
      clicked += n;
      return targets.map((t) => approveClick(slack, t));
    };

    /** Ours: waits until the work after the acks has reached the fake Slack API. */
    const settle = async (kind: Kind, n: number, before: SlackSnapshot) => {
      const was = before.counts;
      if (kind === 'help') {
        await slack.until(
          (s) => s.counts.responseUrl >= was.responseUrl + n,
          (s) => `${n} help answers (${s.counts.responseUrl - was.responseUrl})`,
        );
      } else if (kind === 'pending') {
        await slack.until(
          (s) => s.approvals >= before.approvals + n,
          (s) => `${n} approval messages (${s.approvals - before.approvals})`,
        );
      } else {
        await slack.until(
          (s) => s.counts.final >= was.final + n && s.counts.threadReply >= was.threadReply + n,
          (s) =>
            `${n} decided approvals (${s.counts.final - was.final} updates, ${s.counts.threadReply - was.threadReply} replies)`,
        );
      }
    };

    const runSet = async (app: AppName, kind: Kind, size: number, n: number): Promise<SetResult> => {
      const { bot, poster } = apps[app];
      const requests = await prepare(app, kind, n);
      const cpu0 = (await bot.usage()).cpuUs;
      const samples: number[] = [];
      const started = performance.now();
      for (let offset = 0; offset < n && performance.now() - started < opts.maxMs; offset += size) {
        const chunk = requests.slice(offset, offset + size);
        const before = app === 'ours' ? await slack.snapshot() : undefined;
        await poster.warm(chunk.length);
        const b = await burst(chunk.length, async (i) => {
          const status = await poster.post(chunk[i] as SignedRequest);
          if (status !== 200) throw new Error(`HTTP ${status}`);
        });
        if (b.errors > 0) throw new Error(`${app} ${kind}: ${b.errors} errors (${b.firstError})`);
        samples.push(...b.latencies);
        if (process.env.BENCH_DEBUG) console.error(app, kind, size, 'burst max', Math.max(...b.latencies).toFixed(1));
        // Ours: the next burst starts once this one's later work has reached the fake Slack API.
        if (before) await settle(kind, chunk.length, before);
        // Both bots meet every burst idle: ours would otherwise be the only one woken from sleep by each burst.
        await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
      }
      if (app === 'ours' && kind === 'approve') clicks += samples.length;
      const cpu1 = (await bot.usage()).cpuUs;
      return { ...summarize(samples), count: samples.length, botCpuUs: (cpu1 - cpu0) / samples.length };
    };

    for (const app of ['ours', 'bare'] as const) {
      for (const kind of KINDS) await runSet(app, kind, levels[0] ?? 50, opts.warmup);
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (const concurrency of levels) {
        const order: AppName[] = round % 2 === 0 ? ['ours', 'bare'] : ['bare', 'ours'];
        for (const app of order) {
          for (const kind of KINDS) {
            const r = await runSet(app, kind, concurrency, opts.count);
            const key = `${kind} ${concurrency} ${app}`;
            results.set(key, [...(results.get(key) ?? []), r]);
            if (!quiet) {
              console.error(
                `round ${round + 1} c=${concurrency} ${app} ${kind}: p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} ms`,
              );
            }
          }
        }
      }
    }
    const stats = await cloud.stats();
    const log = summarizeLog(dir.path('bot.log'));
    const checks = [
      `fake cloud: ${stats.actions.pass ?? 0} CodeArts pass calls for ${clicks} Approve clicks on ours`,
      `bot log: ${levelsLine(log.levels)}${log.problems.length > 0 ? ` (${log.problems.join('; ')})` : ''}`,
    ];
    return report(opts, levels, machineLine(machine), memoryStore, results, checks);
  } finally {
    for (const p of posters) await p.close();
    for (const b of bots) await b.close();
    await slack.close();
    await cloud.close();
    dir.remove();
  }
}

function report(
  opts: typeof DEFAULTS,
  levels: number[],
  machine: string,
  memoryStore: boolean,
  results: Map<string, SetResult[]>,
  checks: string[],
): string {
  const rows: Row[] = [];
  for (const kind of KINDS) {
    for (const concurrency of levels) {
      const ours = results.get(`${kind} ${concurrency} ours`) ?? [];
      const bare = results.get(`${kind} ${concurrency} bare`) ?? [];
      const ratios = ours.map((r, i) => r.p99 / (bare[i]?.p99 ?? Number.NaN));
      const ratio = median(ratios);
      const med = (rs: SetResult[], k: 'p50' | 'p99' | 'botCpuUs') => median(rs.map((r) => r[k]));
      rows.push({
        request: kind === 'approve' ? 'Approve click' : `/ops ${kind}`,
        burst: concurrency,
        'ours p50 ms': med(ours, 'p50'),
        'ours p99 ms': med(ours, 'p99'),
        'bare p50 ms': med(bare, 'p50'),
        'bare p99 ms': med(bare, 'p99'),
        'p99 ours / bare': ratio,
        'per round': ratios.map((x) => x.toFixed(2)).join(', '),
        met: ratio <= 1.2 ? 'yes' : 'NO',
        'ours CPU µs/req': med(ours, 'botCpuUs'),
        'bare CPU µs/req': med(bare, 'botCpuUs'),
      });
    }
  }
  return [
    '### Slack acknowledgement latency (`bench/slack-ack.ts`)',
    '',
    `${opts.count} requests per set, ${opts.rounds} rounds (app order alternating), ${opts.warmup} warm-up requests ` +
      `of each kind per app; store: ${memoryStore ? 'memory' : 'SQLite'}. Goal: p99 ours / bare ≤ 1.2. ` +
      `Machine: ${machine}.`,
    '',
    markdownTable(rows),
    '',
    ...checks.map((c) => `- ${c}`),
    '',
  ].join('\n');
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (md) => console.log(md),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
