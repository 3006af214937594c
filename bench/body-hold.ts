import { connect, type Socket } from 'node:net';
import { SLACK_BODY_LIMIT } from '../src/adapters/slack/index.js';
import { startFakeSlackApi } from '../src/fakes/slack-api.js';
import { numberArgs } from './lib/args.js';
import { botCloudEnv, botSlackEnv, createBenchDir } from './lib/bot-env.js';
import { type BotProcess, startBotProcess } from './lib/bot-process.js';
import { startCloudProcess } from './lib/cloud-process.js';
import { machineInfo, machineLine } from './lib/machine.js';
import { runIfMain } from './lib/main.js';
import { markdownTable, type Row } from './lib/table.js';

/**
 * Issue 15 (1): unauthenticated bodies cannot pin memory. Three bots (each the real runtime in its own process, Slack
 * in HTTP mode, SQLite): one attacked with the default budget (OPSGATE_BODY_BUDGET_BYTES 32 MiB), one attacked with
 * the budget opened to 1 GiB (the per-request cap alone), and one idle. Each attacked bot gets `connections` raw TCP
 * connections that each declare a Slack body of SLACK_BODY_LIMIT bytes and send all of it but the last byte, then
 * hold. RSS of every bot is read `settleMs` after the last byte was written (and the answers counted).
 */
export const DEFAULTS = { connections: 250, settleMs: 3000 };

const mib = (bytes: number) => bytes / 2 ** 20;

interface Held {
  sockets: Socket[];
  answers: Record<string, number>;
}

async function holdBodies(port: number, count: number): Promise<Held> {
  const size = SLACK_BODY_LIMIT;
  const body = Buffer.alloc(size - 1, 'a');
  const answers: Record<string, number> = {};
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(
              `POST /slack/events HTTP/1.1\r\nhost: bench\r\ncontent-type: application/x-www-form-urlencoded\r\n` +
                `x-slack-request-timestamp: ${Math.floor(Date.now() / 1000)}\r\nx-slack-signature: v0=${'0'.repeat(64)}\r\n` +
                `content-length: ${size}\r\n\r\n`,
            );
            socket.write(body, () => resolve(socket));
          });
          let first = true;
          socket.on('data', (d) => {
            if (!first) return;
            first = false;
            const status = String(d).slice(9, 12);
            answers[status] = (answers[status] ?? 0) + 1;
          });
          // A refused connection is closed by the bot after its answer; the write callback may then never fire.
          socket.on('close', () => resolve(socket));
          socket.on('error', () => resolve(socket));
        }),
    ),
  );
  return { sockets, answers };
}

export async function main(argv: readonly string[] = []): Promise<string> {
  const opts = numberArgs(argv, DEFAULTS);
  const machine = machineInfo();
  const dir = createBenchDir('opsgate-body-hold-');
  const cloud = await startCloudProcess();
  const slack = await startFakeSlackApi();
  const bots: Array<{ name: string; bot: BotProcess; held?: Held }> = [];
  try {
    const env = (name: string, extra: Record<string, string> = {}) => ({
      ...botCloudEnv(cloud, dir),
      ...botSlackEnv(slack),
      OPSGATE_STORE: `sqlite:${dir.path(`${name}.db`)}`,
      OPSGATE_LOG_LEVEL: 'warn',
      ...extra,
    });
    const spec = (name: string, extra?: Record<string, string>) =>
      ({ kind: 'runtime', env: env(name, extra), logPath: dir.path(`${name}.log`) }) as const;
    const budgeted = await startBotProcess(spec('budget'));
    const open = await startBotProcess(spec('open', { OPSGATE_BODY_BUDGET_BYTES: String(2 ** 30) }));
    const idle = await startBotProcess(spec('idle'));
    bots.push({ name: 'attacked, default budget (32 MiB)', bot: budgeted });
    bots.push({ name: 'attacked, budget 1 GiB (per-request cap only)', bot: open });
    bots.push({ name: 'idle', bot: idle });
    const before = await Promise.all(bots.map((b) => b.bot.usage()));
    const attacked = bots.slice(0, 2);
    for (const b of attacked) b.held = await holdBodies(b.bot.port, opts.connections);
    await new Promise((r) => setTimeout(r, opts.settleMs));
    const during = await Promise.all(bots.map((b) => b.bot.usage()));
    const rows: Row[] = bots.map((b, i) => ({
      bot: b.name,
      'RSS before MiB': mib(before[i]!.rss),
      'RSS holding MiB': mib(during[i]!.rss),
      'held vs idle': during[i]!.rss / during[2]!.rss,
      answers: b.held
        ? Object.entries(b.held.answers)
            .map(([s, n]) => `${n}× ${s}`)
            .join(', ') || 'none'
        : '-',
    }));
    for (const b of attacked) for (const s of b.held?.sockets ?? []) s.destroy();
    return [
      '### Held unauthenticated bodies (`bench/body-hold.ts`)',
      '',
      `${opts.connections} connections to each attacked bot, each declaring a ${SLACK_BODY_LIMIT}-byte Slack body ` +
        `(SLACK_BODY_LIMIT) and sending all but its last byte, then holding; RSS read ${opts.settleMs} ms after ` +
        `the last write, beside an idle bot started the same way. Machine: ${machineLine(machine)}.`,
      '',
      markdownTable(rows),
      '',
    ].join('\n');
  } finally {
    for (const b of bots) await b.bot.close();
    await slack.close();
    await cloud.close();
    dir.remove();
  }
}

runIfMain(import.meta.url, main);
