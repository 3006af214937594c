import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startFakeSlackApi } from '../src/fakes/slack-api.js';
import { numberArgs } from './lib/args.js';
import { botCloudEnv, botSlackEnv, createBenchDir } from './lib/bot-env.js';
import { startCloudProcess } from './lib/cloud-process.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { freePort, waitFor200 } from './lib/readiness.js';
import type { SignedRequest } from './lib/http-poster.js';
import { slashCommand } from './lib/slack-load.js';
import { summarize } from './lib/stats.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Issue 15 (11): a cold bot acks a burst in time. Spawns the bot (`node dist-bench/src/app/main.js`, Slack in HTTP
 * mode, SQLite, both clouds at the fake cloud), polls GET /readyz until 200, then at once sends `burst` signed
 * `/ops help` commands, each on its own new connection (as Slack does). Per request: time from the burst's start
 * to the whole answer. Compared in the same run, alternating: the listen backlog of 4096 (OPSGATE_LISTEN_BACKLOG
 * default) against node's default of 511 (what `server.listen(port, host)` used before).
 */
export const DEFAULTS = { burst: 2000, rounds: 3, slowMs: 3000 };

const MAIN = fileURLToPath(new URL('../src/app/main.js', import.meta.url));

/**
 * The kernel's count of connections dropped because a listen queue was full (TcpExt ListenOverflows in
 * /proc/net/netstat, machine-wide); undefined where it cannot be read.
 */
function listenOverflows(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('TcpExt:'));
    const names = (lines[i] ?? '').split(/\s+/);
    const values = (lines[i + 1] ?? '').split(/\s+/);
    const at = names.indexOf('ListenOverflows');
    return at > 0 ? Number(values[at]) : undefined;
  } catch {
    return undefined;
  }
}

function post(port: number, req: SignedRequest): Promise<number> {
  return new Promise((resolve) => {
    const r = request(
      { host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers: req.headers, agent: false },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', () => resolve(0));
      },
    );
    r.once('error', () => resolve(0));
    r.end(req.body);
  });
}

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const machine = machineInfo();
  const dir = createBenchDir('opsgate-cold-burst-');
  const cloud = await startCloudProcess();
  const slack = await startFakeSlackApi();
  const results: Record<string, Array<{ latencies: number[]; failed: number; overflows: number | undefined }>> = {
    '4096': [],
    '511': [],
  };
  try {
    for (let round = 0; round < opts.rounds; round++) {
      for (const backlog of round % 2 === 0 ? ['4096', '511'] : ['511', '4096']) {
        const port = await freePort();
        const env = {
          PATH: process.env.PATH ?? '',
          ...botCloudEnv(cloud, dir),
          ...botSlackEnv(slack),
          PORT: String(port),
          OPSGATE_STORE: `sqlite:${dir.path(`bot-${round}-${backlog}.db`)}`,
          OPSGATE_LOG_LEVEL: 'warn',
          OPSGATE_LISTEN_BACKLOG: backlog,
        };
        const requests = Array.from({ length: opts.burst }, () => slashCommand(slack, 'help'));
        const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] });
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        try {
          await waitFor200(`http://127.0.0.1:${port}/readyz`, 5);
          const overflowsBefore = listenOverflows();
          const started = performance.now();
          const latencies: number[] = [];
          let failed = 0;
          await Promise.all(
            requests.map(async (req) => {
              const status = await post(port, req);
              if (status !== 200) failed++;
              latencies.push(performance.now() - started);
            }),
          );
          const overflowsAfter = listenOverflows();
          const overflows =
            overflowsBefore === undefined || overflowsAfter === undefined
              ? undefined
              : overflowsAfter - overflowsBefore;
          results[backlog]!.push({ latencies, failed, overflows });
        } finally {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
      }
    }
  } finally {
    await slack.close();
    await cloud.close();
    dir.remove();
  }
  const rows: Row[] = [];
  for (const [backlog, runs] of Object.entries(results)) {
    runs.forEach((run, i) => {
      const s = summarize(run.latencies);
      rows.push({
        backlog,
        round: i + 1,
        'p50 ms': s.p50,
        'p99 ms': s.p99,
        'max ms': s.max,
        [`acks over ${opts.slowMs} ms`]: run.latencies.filter((l) => l > opts.slowMs).length,
        'not 200': run.failed,
        'listen overflows': run.overflows,
      });
    });
  }
  return [
    '### A cold bot hit by a burst (`bench/cold-burst.ts`)',
    '',
    `${opts.burst} signed \`/ops help\` commands at once, each on a new connection, right after GET /readyz first ` +
      `answered 200 on a freshly spawned bot; ${opts.rounds} rounds, the two backlogs alternating. Latency: burst ` +
      `start → whole answer. Listen overflows: the kernel's TcpExt ListenOverflows during the burst (machine-wide). Machine: ${machineLine(machine)}; net.core.somaxconn caps the backlog.`,
    '',
    markdownTable(rows),
    '',
  ].join('\n');
}

runIfMain(import.meta.url, main);
