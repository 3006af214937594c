import { performance } from 'node:perf_hooks';
import { createHttpClient } from '../src/net/http-client.js';
import { createHuaweiProviders, defaultHuaweiEndpoints } from '../src/providers/huawei/index.js';
import { flagArg, numberArgs } from './lib/args.js';
import { botCloudEnv, botSlackEnv, createBenchDir } from './lib/bot-env.js';
import { levelsLine, summarizeLog } from './lib/bot-log.js';
import { type BotProcess, startBotProcess } from './lib/bot-process.js';
import { burst } from './lib/burst.js';
import { type CloudProcess, startCloudProcess } from './lib/cloud-process.js';
import { createPoster, type Poster } from './lib/http-poster.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { openLoop } from './lib/open-loop.js';
import { type SlackApiProcess, startSlackApiProcess } from './lib/slack-api-process.js';
import { approveClick, type PostedApproval, slashCommand } from './lib/slack-load.js';
import { summarize } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Issue 7: a Slack Approve click until the approval message shows the decision, at `rate` clicks per second for
 * `seconds`, open loop (click i is sent at start + i/rate whatever happened to the others). Each click is on its own
 * open approval, opened beforehand with `/ops pending`. Latency = arrival of the chat.update showing "Approved by" at
 * the fake Slack API − the click's scheduled send time (epoch clocks of two processes on one machine). The fake
 * cloud answers every request after `latencyMs`. Baseline in the same run: the cloud calls a decision needs, made
 * directly with our CodeArts provider at the same rate: getRun, then decide.
 */
export const DEFAULTS = { seconds: 60, rate: 100, latencyMs: 20, warmupSeconds: 2 };

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const quiet = flagArg(argv, 'quiet');
  const memoryStore = flagArg(argv, 'memory-store');
  const machine = machineInfo();
  const dir = createBenchDir();
  const cloud = await startCloudProcess({ latencyMs: opts.latencyMs, huaweiRepeatableDecisions: true });
  const slack = await startSlackApiProcess();
  let bot: BotProcess | undefined;
  let poster: Poster | undefined;
  try {
    const env = {
      ...botCloudEnv(cloud, dir),
      ...botSlackEnv(slack),
      OPSGATE_STORE: memoryStore ? 'memory:' : `sqlite:${dir.path('opsgate.db')}`,
    };
    // --profile: V8 CPU profile of the bot process, written to ./prof.
    const execArgv = flagArg(argv, 'profile') ? ['--cpu-prof', '--cpu-prof-dir=prof'] : [];
    bot = await startBotProcess({ kind: 'runtime', env, logPath: dir.path('bot.log') }, { execArgv });
    poster = createPoster(`http://127.0.0.1:${bot.port}`, '/slack/events');
    const warmups = Math.floor(opts.rate * opts.warmupSeconds);
    const measured = Math.floor(opts.rate * opts.seconds);
    if (!quiet) console.error(`opening ${warmups + measured} approvals …`);
    const approvals = await openApprovals(cloud, slack, poster, warmups + measured);

    if (!quiet) console.error(`baseline: getRun + decide at ${opts.rate}/s for ${opts.seconds} s …`);
    const baseline = await cloudBaseline(cloud, opts.rate, opts.seconds);

    const sentAt = new Map<string, number>();
    const finals = new Map<string, number>();
    const processing = new Map<string, number>();
    slack.onUpdate = (kind, key, at) => void (kind === 'final' ? finals : processing).set(key, at);
    let ackErrors = 0;
    const click = (target: PostedApproval, record: boolean) => (_i: number, scheduledAt: number) => {
      if (record) sentAt.set(`${target.channel} ${target.ts}`, performance.timeOrigin + scheduledAt);
      void poster
        ?.post(approveClick(slack, target))
        .then((status) => {
          if (status !== 200) ackErrors++;
        })
        .catch(() => ackErrors++);
    };
    if (!quiet) console.error(`clicks: ${opts.rate}/s for ${opts.seconds} s …`);
    await openLoop({ rate: opts.rate, seconds: opts.warmupSeconds }, (i, at) =>
      click(approvals[i] as PostedApproval, false)(i, at),
    );
    const cpu0 = (await bot.usage()).cpuUs;
    const poll = setInterval(() => void slack.snapshot(), 1_000);
    const loop = await openLoop({ rate: opts.rate, seconds: opts.seconds }, (i, at) =>
      click(approvals[warmups + i] as PostedApproval, true)(i, at),
    );
    clearInterval(poll);
    await slack.until(
      (s) => s.counts.final >= warmups + measured,
      (s) => `${warmups + measured} decided approval messages (${s.counts.final})`,
      60_000,
    );
    const cpuMsPerClick = ((await bot.usage()).cpuUs - cpu0) / 1000 / measured;
    const latencies = [...sentAt].map(([key, at]) => (finals.get(key) ?? Number.NaN) - at);
    // Where the time goes: click → buttons removed ("Processing…"), then → decision shown.
    const toProcessing = [...sentAt].map(([key, at]) => (processing.get(key) ?? Number.NaN) - at);
    const toFinal = [...sentAt].map(([key]) => (finals.get(key) ?? Number.NaN) - (processing.get(key) ?? Number.NaN));
    const missing = latencies.filter((x) => Number.isNaN(x)).length;
    const stats = await cloud.stats();
    const log = summarizeLog(dir.path('bot.log'));
    const checks = [
      `${loop.sent} clicks sent in the measured window (generator lag at most ${loop.lagMaxMs.toFixed(1)} ms), ` +
        `${ackErrors} acks other than 200, ${missing} approval messages never updated; bot CPU ` +
        `${cpuMsPerClick.toFixed(2)} ms per click (all its work, ${((cpuMsPerClick * opts.rate) / 10).toFixed(0)}% of a core)`,
      `fake cloud: ${stats.actions.pass ?? 0} CodeArts pass calls (${warmups + measured} clicks + ${baseline.count} baseline decides)`,
      `bot log: ${levelsLine(log.levels)}${log.problems.length > 0 ? ` (${log.problems.join('; ')})` : ''}`,
    ];
    const known = (xs: number[]) => xs.filter((x) => !Number.isNaN(x));
    const e2e = known(latencies);
    const parts = { toProcessing: known(toProcessing), toFinal: known(toFinal) };
    const setup = `${memoryStore ? 'Memory' : 'SQLite'} store. Machine: ${machineLine(machine)}`;
    return report(opts, setup, e2e, parts, baseline, checks);
  } finally {
    await poster?.close();
    await bot?.close();
    await slack.close();
    await cloud.close();
    dir.remove();
  }
}

/** Opens `n` approvals (one fresh run each) with `/ops pending` in bursts, and returns their messages. */
async function openApprovals(
  cloud: CloudProcess,
  slack: SlackApiProcess,
  poster: Poster,
  n: number,
): Promise<PostedApproval[]> {
  const runs = await cloud.addHuaweiRuns(n);
  const step = 100;
  for (let i = 0; i < n; i += step) {
    const chunk = runs.slice(i, i + step);
    const result = await burst(chunk.length, (j) => poster.post(slashCommand(slack, `pending ${chunk[j]?.url}`)));
    if (result.errors > 0) throw new Error(`pending: ${result.errors} errors (${result.firstError})`);
    const want = i + chunk.length;
    await slack.until(
      (s) => s.approvals >= want,
      (s) => `${want} approval messages (${s.approvals})`,
    );
  }
  await slack.snapshot();
  return slack.approvals.slice(0, n);
}

interface Baseline {
  count: number;
  errors: number;
  /** getRun alone, decide alone, and both one after the other (what a decision needs), in ms. */
  getRun: number[];
  decide: number[];
  both: number[];
}

/** Our CodeArts provider straight at the fake cloud, open loop: getRun then decide (repeatable decisions). */
async function cloudBaseline(cloud: CloudProcess, rate: number, seconds: number): Promise<Baseline> {
  const http = createHttpClient();
  const u = cloud.url;
  const { credentials, iamProjectId } = cloud.huawei;
  const { pipeline } = createHuaweiProviders(
    {
      region: 'cn-north-4',
      auth: { kind: 'aksk', ak: credentials.ak, sk: credentials.sk, projectId: iamProjectId },
      endpoints: defaultHuaweiEndpoints('cn-north-4', { iam: u, pipeline: u, build: u, check: u }),
      noticeSpelling: 'current',
    },
    { http, now: Date.now },
  );
  const run = cloud.demo.huaweiSingle;
  const seeded = run.reviews[0];
  if (!seeded) throw new Error('the demo run has no review');
  const ref = { cloud: 'huawei' as const, projectId: run.projectId, pipelineId: run.pipelineId, runId: run.runId };
  const review = { id: seeded.stepRunId, jobId: seeded.jobRunId, name: seeded.name, status: 'waiting' as const };
  const out: Baseline = { count: 0, errors: 0, getRun: [], decide: [], both: [] };
  const pending: Array<Promise<void>> = [];
  try {
    await openLoop({ rate, seconds }, () => {
      pending.push(
        (async () => {
          const t0 = performance.now();
          try {
            await pipeline.getRun(ref);
            const t1 = performance.now();
            await pipeline.decide(ref, review, 'approve');
            const t2 = performance.now();
            out.getRun.push(t1 - t0);
            out.decide.push(t2 - t1);
            out.both.push(t2 - t0);
          } catch {
            out.errors++;
          }
          out.count++;
        })(),
      );
    });
    await Promise.all(pending);
  } finally {
    await http.close();
  }
  return out;
}

function report(
  opts: typeof DEFAULTS,
  setup: string,
  e2e: number[],
  parts: { toProcessing: number[]; toFinal: number[] },
  baseline: Baseline,
  checks: string[],
): string {
  const L = opts.latencyMs;
  const e = summarize(e2e);
  const d = summarize(baseline.decide);
  const b = summarize(baseline.both);
  const g = summarize(baseline.getRun);
  const row = (what: string, s: ReturnType<typeof summarize>, n: number): Row => ({
    what,
    n,
    'p50 ms': s.p50,
    'p99 ms': s.p99,
    'max ms': s.max,
    'p50 − L': s.p50 - L,
    'p99 − L': s.p99 - L,
  });
  const above = e.p99 - d.p99;
  return [
    '### Slack click → cloud → message updated (`bench/e2e-slack.ts`)',
    '',
    `${opts.rate} clicks/s for ${opts.seconds} s, open loop, after ${opts.warmupSeconds} s of warm-up clicks; every ` +
      `click on its own open approval. The fake cloud answers after L = ${L} ms. ${setup}.`,
    '',
    markdownTable([
      row('click → "Approved" chat.update (ours, end to end)', e, e2e.length),
      row('… of which click → "Processing" chat.update', summarize(parts.toProcessing), parts.toProcessing.length),
      row('… of which "Processing" → "Approved" chat.update', summarize(parts.toFinal), parts.toFinal.length),
      row('baseline: provider.decide alone', d, baseline.decide.length),
      row('baseline: provider.getRun alone', g, baseline.getRun.length),
      row('baseline: getRun then decide', b, baseline.both.length),
    ]),
    '',
    `- end-to-end p99 above the cloud's own latency (e2e p99 − decide p99): ${above.toFixed(1)} ms; goal < 25 ms: ` +
      `${above < 25 ? 'met' : 'NOT met'}`,
    `- end-to-end p99 above the cloud calls a decision makes (e2e p99 − getRun-then-decide p99): ` +
      `${(e.p99 - b.p99).toFixed(1)} ms`,
    `- baseline: ${baseline.count} arrivals, ${baseline.errors} errors`,
    ...checks.map((c) => `- ${c}`),
    '',
  ].join('\n');
}

runIfMain(import.meta.url, main);
