import type { Env } from '../app/env.js';
import { toOpsError } from '../core/errors.js';
import { createButtons } from './buttons.js';
import { createChat, type Identities, promptOf } from './chat.js';
import { createDingTalkDriver } from './dingtalk-driver.js';
import { createSlackDriver } from './slack-driver.js';
import { createStyle } from './style.js';
import { createTerminal, type TerminalIo } from './terminal.js';
import { help, runUrls, welcome } from './welcome.js';
import { DINGTALK_GROUP, SLACK_CHANNEL, startWorld } from './world.js';

export interface SandboxIo extends TerminalIo {
  errors: NodeJS.WritableStream;
  env: Env;
  /** Called once the chat is up with a function that ends it (the entry wires SIGINT/SIGTERM to it). */
  onReady?(stop: () => void): void;
  /** Called when the chat has ended and the bot and the fakes are being stopped. */
  onStopping?(): void;
}

/** How often the fakes are read for what the bot sent. */
const POLL_MS = 25;
/** The bot drains in-flight work for up to 3 s (OPSGATE_SHUTDOWN_TIMEOUT_MS); past this, stopping has hung. */
const STOP_DEADLINE_MS = 20_000;

/**
 * The sandbox: the real bot against fakes, and a terminal chat in front of it. Resolves with the exit code once the
 * chat ended (`:quit`, Ctrl-D, Ctrl-C or `stop`) and the bot and every fake have stopped.
 * @example
 * process.exitCode = await runSandbox({ input: process.stdin, output: process.stdout, errors: process.stderr, env: process.env });
 */
export async function runSandbox(io: SandboxIo): Promise<number> {
  const style = createStyle(Boolean(io.output.isTTY) && !io.env.NO_COLOR);
  io.output.write(style.dim('Starting the fake cloud, Slack, DingTalk and the bot…\n'));
  let world: Awaited<ReturnType<typeof startWorld>>;
  try {
    world = await startWorld(io.env);
  } catch (err) {
    const error = toOpsError(err);
    io.errors.write(`sandbox failed to start: ${error.code}: ${error.message}\n`);
    return 3;
  }
  const terminal = createTerminal(io, style);
  const buttons = createButtons();
  const identities: Identities = { slack: 'UALICE', dingtalk: 'alice' };
  let stopping = false;
  let number = 0;
  const nextNumber = () => ++number;
  const work = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>) => {
    const settled = promise.catch((err) => {
      if (!stopping) terminal.note(`failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    work.add(settled);
    void settled.finally(() => work.delete(settled));
  };
  const slack = createSlackDriver({
    slack: world.slack,
    eventsUrl: world.eventsUrl,
    signingSecret: world.signingSecret,
    channel: SLACK_CHANNEL,
    terminal,
    buttons,
    user: () => identities.slack,
    nextNumber,
    track,
  });
  const dingtalk = createDingTalkDriver({
    gateway: world.gateway,
    openapi: world.openapi,
    group: DINGTALK_GROUP,
    terminal,
    buttons,
    user: () => identities.dingtalk,
    nextNumber,
  });
  const poller = setInterval(() => {
    try {
      slack.poll();
      dingtalk.poll();
    } catch (err) {
      terminal.note(`could not draw a message: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, POLL_MS);

  terminal.setPrompt(promptOf(identities));
  terminal.print(welcome(world.demo, world.logPath, style));
  terminal.onLine(
    createChat({
      terminal,
      identities,
      slack,
      dingtalk,
      buttons,
      track,
      help: () => help(style),
      urls: () => ['Runs waiting for a manual review:', ...runUrls(world.demo, style)].join('\n'),
      logPath: world.logPath,
    }),
  );
  io.onReady?.(() => terminal.close());

  await terminal.closed;
  stopping = true;
  io.onStopping?.();
  io.output.write(`\n${style.dim('Stopping the bot and the fakes…')}\n`);
  clearInterval(poller);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_DEADLINE_MS);
  });
  const stopped = await Promise.race([world.stop().then(() => 'stopped' as const), deadline]);
  clearTimeout(timer);
  if (stopped === 'late') {
    io.errors.write(`sandbox: the bot did not stop within ${STOP_DEADLINE_MS / 1000} s\n`);
    return 1;
  }
  io.output.write(`Bye. The bot's log stays in ${world.logPath}\n`);
  return 0;
}
