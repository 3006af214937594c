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
}

/** How often the fakes are read for what the bot sent. */
const POLL_MS = 25;

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
  io.output.write(`\n${style.dim('Stopping the bot and the fakes…')}\n`);
  clearInterval(poller);
  let code = 0;
  try {
    await world.stop();
  } catch (err) {
    io.errors.write(`sandbox did not stop cleanly: ${toOpsError(err).code}\n`);
    code = 1;
  }
  io.output.write('Bye.\n');
  return code;
}
