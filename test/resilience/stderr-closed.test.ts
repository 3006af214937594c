import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../src/fakes/slack-api.js';
import { slashCommandBody } from '../../src/fakes/slack-payloads.js';
import { postSigned } from '../../src/fakes/slack-signing.js';
import { type BotProcess, startBotProcess } from '../support/bot-process.js';
import { runtimeEnv, SIGNING_SECRET } from '../support/runtime-env.js';

/**
 * The reader of the bot's stderr and stdout goes away (a parent that exited, a log shipper restarting): every log
 * write then fails with EPIPE. The bot must keep serving without looping on its own failed writes, and SIGTERM must
 * still end it.
 */
describe('a bot whose log pipe was closed', () => {
  let cloud: FakeCloud;
  let slack: FakeSlackApi;
  let bot: BotProcess;

  beforeAll(async () => {
    cloud = await startFakeCloud();
    slack = await startFakeSlackApi();
    bot = await startBotProcess(runtimeEnv(cloud, slack));
  });
  afterAll(async () => {
    if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
    await slack?.close();
    await cloud?.close();
  });

  it('keeps answering after the pipe closes, and exits on SIGTERM', async () => {
    bot.child.stderr?.destroy();
    bot.child.stdout?.destroy();
    const base = `http://127.0.0.1:${bot.port}`;
    // Work that logs (debug level): commands and health checks, each line now a failed write.
    for (let i = 0; i < 20; i++) {
      const body = slashCommandBody({
        text: 'help',
        userId: 'UALICE',
        channelId: 'CREL',
        responseUrl: slack.responseUrl(`pipe-${i}`),
        triggerId: `1.2.pipe${i}`,
      });
      expect((await postSigned(`${base}/slack/events`, SIGNING_SECRET, body)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    }
    await slack.waitFor((c) => c.responseUrlId === 'pipe-19');
    // A bounded wait for the exit: a process spinning on its failed writes never gets to finish its shutdown.
    const exited = new Promise<number | null>((resolve) => bot.child.once('exit', (code) => resolve(code)));
    bot.child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000)),
    ]);
    expect(code).toBe(0);
  }, 60_000);
});
