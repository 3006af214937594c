import { fork } from 'node:child_process';
import { closeChild, nextMessage } from './ipc.js';

/** What the child runs: the real bot, or a bare baseline. */
export type BotSpec =
  | { kind: 'runtime'; env: Record<string, string>; logPath: string }
  | { kind: 'bare-slack'; signingSecret: string; botToken: string }
  | { kind: 'bare-dingtalk'; clientId: string; clientSecret: string; openUrl: string };

export type ToBot = { type: 'start'; spec: BotSpec } | { type: 'usage' } | { type: 'close' };
export type FromBot = { type: 'ready'; port: number } | { type: 'usage'; cpuUs: number; rss: number; heapUsed: number };

export interface BotUsage {
  /** User + system CPU time of the child since it started, in microseconds. */
  cpuUs: number;
  rss: number;
  heapUsed: number;
}

export interface BotProcess {
  /** Port of its HTTP server on 127.0.0.1 (0 for the bare DingTalk client, which serves nothing). */
  port: number;
  usage(): Promise<BotUsage>;
  close(): Promise<void>;
}

/**
 * Runs the system under test in its own process, so that the load generator and the fakes (this process) are not
 * charged to it. The spec goes over IPC, not argv, so credentials never show in `ps`.
 * @example
 * const bot = await startBotProcess({ kind: 'runtime', env, logPath });
 * // … POST http://127.0.0.1:${bot.port}/slack/events …
 * await bot.close();
 */
const WHO = 'bot child';

export async function startBotProcess(spec: BotSpec, options: { execArgv?: string[] } = {}): Promise<BotProcess> {
  const child = fork(new URL('./bot-child.js', import.meta.url), [], {
    // The SDKs print to stdout ("connect success"); the bot's own log goes to spec.logPath.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: options.execArgv ?? [],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = nextMessage(child, (m: FromBot): m is Extract<FromBot, { type: 'ready' }> => m.type === 'ready', WHO);
  child.send({ type: 'start', spec } satisfies ToBot);
  const { port } = await ready;
  return {
    port,
    async usage() {
      const answer = nextMessage(
        child,
        (m: FromBot): m is Extract<FromBot, { type: 'usage' }> => m.type === 'usage',
        WHO,
      );
      child.send({ type: 'usage' } satisfies ToBot);
      const { cpuUs, rss, heapUsed } = await answer;
      return { cpuUs, rss, heapUsed };
    },
    close: () => closeChild(child, exited, 15_000),
  };
}
