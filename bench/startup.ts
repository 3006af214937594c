import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startFakeDingTalkGateway } from '../src/fakes/dingtalk-gateway.js';
import { startFakeDingTalkOpenApi } from '../src/fakes/dingtalk-openapi.js';
import { startFakeSlackApi } from '../src/fakes/slack-api.js';
import { flagArg, numberArgs } from './lib/args.js';
import { botCloudEnv, botDingTalkEnv, botSlackEnv, createBenchDir } from './lib/bot-env.js';
import { startCloudProcess } from './lib/cloud-process.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { freePort, waitFor200 } from './lib/readiness.js';
import { summarize } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Issue 7: start-up to ready. Spawns the bot's entry point (`node …/app/main.js`, fully configured: both clouds at
 * the fake cloud, Slack in HTTP mode, DingTalk Stream at a fake gateway, a new SQLite file each time) `runs` times
 * and times spawn → first 200 from GET /readyz (polled every `pollMs` on new connections; DingTalk is ready only once
 * its socket is connected). Baseline, alternating with it: a bare `node -e` HTTP server's spawn → first 200.
 */
export const DEFAULTS = { runs: 10, warmup: 1, pollMs: 5 };

const BARE_SERVER =
  "require('http').createServer((q,s)=>s.end('ok')).listen(Number(process.env.PORT),process.env.HOST)";

/** The compiled entry point: this build's copy (same sources and compiler options as dist/), or dist/ with --dist. */
function entryPoint(useDist: boolean): string {
  const path = fileURLToPath(new URL(useDist ? '../../dist/app/main.js' : '../src/app/main.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} does not exist${useDist ? ' (run npm run build)' : ''}`);
  return path;
}

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const useDist = flagArg(argv, 'dist');
  const profile = flagArg(argv, 'profile');
  const mainJs = entryPoint(useDist);
  const machine = machineInfo();
  const dir = createBenchDir('opsgate-startup-');
  const cloud = await startCloudProcess();
  const slack = await startFakeSlackApi();
  const gateway = await startFakeDingTalkGateway();
  const openapi = await startFakeDingTalkOpenApi({
    appKey: gateway.credentials.clientId,
    appSecret: gateway.credentials.clientSecret,
  });
  const times: Record<'ours' | 'bare', number[]> = { ours: [], bare: [] };
  try {
    const baseEnv = {
      ...botCloudEnv(cloud, dir),
      ...botSlackEnv(slack),
      ...botDingTalkEnv(gateway, openapi.url),
      OPSGATE_LOG_LEVEL: 'warn',
    };
    const once = async (kind: 'ours' | 'bare', i: number): Promise<number> => {
      const port = await freePort();
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        ...baseEnv,
        PORT: String(port),
        OPSGATE_STORE: `sqlite:${dir.path(`opsgate-${kind}-${i}.db`)}`,
      };
      // --profile: a V8 CPU profile of each of our start-ups, in ./prof.
      const prof = profile && kind === 'ours' ? ['--cpu-prof', '--cpu-prof-dir=prof'] : [];
      const args = kind === 'ours' ? [...prof, mainJs] : ['-e', BARE_SERVER];
      const started = performance.now();
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await waitFor200(`http://127.0.0.1:${port}/readyz`, opts.pollMs);
        return performance.now() - started;
      } finally {
        await stop(child, exited);
      }
    };
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      for (const kind of i % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
        const ms = await once(kind, i);
        if (i >= opts.warmup) times[kind].push(ms);
      }
    }
  } finally {
    await openapi.close();
    await gateway.close();
    await slack.close();
    await cloud.close();
    dir.remove();
  }
  return report(opts, useDist ? 'dist/app/main.js' : 'dist-bench/src/app/main.js', machineLine(machine), times);
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function report(
  opts: typeof DEFAULTS,
  entry: string,
  machine: string,
  times: Record<'ours' | 'bare', number[]>,
): string {
  const ours = summarize(times.ours);
  const bare = summarize(times.bare);
  const row = (what: string, s: ReturnType<typeof summarize>, list: number[]): Row => ({
    process: what,
    'p50 ms': s.p50,
    'max ms': s.max,
    'each run, ms': list.map((x) => Math.round(x)).join(', '),
  });
  return [
    '### Start-up to ready (`bench/startup.ts`)',
    '',
    `${opts.runs} spawns of each (after ${opts.warmup} warm-up spawn each), alternating; spawn → first 200 from ` +
      `GET /readyz, polled every ${opts.pollMs} ms. Ours: \`node ${entry}\` with both clouds, Slack (HTTP mode) and ` +
      `DingTalk (Stream, fake gateway) configured and a new SQLite file. Machine: ${machine}.`,
    '',
    markdownTable([
      row('ours: node app/main.js (full configuration)', ours, times.ours),
      row('baseline: node -e (bare http server)', bare, times.bare),
    ]),
    '',
    `- goal under 1 s: p50 ${ours.p50 < 1000 ? 'met' : 'NOT met'} (${Math.round(ours.p50)} ms), ` +
      `max ${ours.max < 1000 ? 'met' : 'NOT met'} (${Math.round(ours.max)} ms); ` +
      `ours − bare at p50: ${Math.round(ours.p50 - bare.p50)} ms`,
    '',
  ].join('\n');
}

runIfMain(import.meta.url, main);
