import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Authorize, HTTPReceiver } from '@slack/bolt';
import { DWClient, TOPIC_CARD } from 'dingtalk-stream';
import { createLogger } from '../../src/app/logger.js';
import { startRuntime } from '../../src/app/runtime.js';
import type { BotSpec, FromBot, ToBot } from './bot-process.js';

/**
 * Child-process entry for the system under test: the real runtime (startRuntime, as `node dist/app/main.js` runs
 * it), or a bare baseline (a Bolt app that only acks, a DWClient that only answers). Started by `startBotProcess`.
 */
async function start(spec: BotSpec): Promise<{ port: number; stop(): Promise<void> }> {
  if (spec.kind === 'runtime') {
    const log = createWriteStream(spec.logPath, { flags: 'a' });
    const logger = createLogger({ level: spec.env.OPSGATE_LOG_LEVEL ?? 'info', destination: log });
    const runtime = await startRuntime({ env: spec.env, logger });
    return { port: runtime.port, stop: () => runtime.stop() };
  }
  if (spec.kind === 'bare-slack') return startBareSlack(spec.signingSecret, spec.botToken);
  return startBareDingTalk(spec);
}

/** Same receiver and App options as the adapter (src/adapters/slack/adapter.ts); listeners that only ack. */
async function startBareSlack(signingSecret: string, botToken: string) {
  const receiver = new HTTPReceiver({ signingSecret, endpoints: '/slack/events', processBeforeResponse: false });
  const authorize: Authorize<boolean> = async () => ({ botToken });
  const app = new App({ receiver, authorize, ignoreSelf: false, convoStore: false });
  app.command('/ops', async ({ ack }) => ack());
  app.action('opsgate_approve', async ({ ack }) => ack());
  app.action('opsgate_reject', async ({ ack }) => ack());
  // Like the bot's server: /healthz answered directly, everything else to Bolt (which throws on unknown paths).
  const server = createServer((req, res) => {
    if (req.url === '/healthz') return void res.writeHead(200).end('ok');
    receiver.requestListener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The SDK's client as its README uses it, pointed at the fake gateway; answers every card callback at once. */
class BareDingTalkClient extends DWClient {
  constructor(
    private readonly openUrl: string,
    private readonly credentials: { clientId: string; clientSecret: string },
  ) {
    super({
      ...credentials,
      keepAlive: false,
      autoReconnect: false,
      subscriptions: [],
    } as unknown as ConstructorParameters<typeof DWClient>[0]);
  }

  override async getEndpoint(): Promise<this> {
    const res = await fetch(this.openUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...this.credentials, ua: '', subscriptions: this.config.subscriptions }),
    });
    const { endpoint, ticket } = (await res.json()) as { endpoint: string; ticket: string };
    (this as unknown as { dw_url: string }).dw_url = `${endpoint}?ticket=${ticket}`;
    return this;
  }
}

async function startBareDingTalk(spec: Extract<BotSpec, { kind: 'bare-dingtalk' }>) {
  const client = new BareDingTalkClient(spec.openUrl, { clientId: spec.clientId, clientSecret: spec.clientSecret });
  client.registerCallbackListener(TOPIC_CARD, (frame) => client.socketCallBackResponse(frame.headers.messageId, {}));
  await client.connect();
  return { port: 0, stop: async () => client.disconnect() };
}

function send(msg: FromBot): void {
  process.send?.(msg);
}

let running: { port: number; stop(): Promise<void> } | undefined;
const exit = () =>
  void (running?.stop() ?? Promise.resolve()).then(
    () => process.exit(0),
    () => process.exit(1),
  );

process.on('message', (msg: ToBot) => {
  if (msg.type === 'start') {
    start(msg.spec).then(
      (started) => {
        running = started;
        send({ type: 'ready', port: started.port });
      },
      (err: unknown) => {
        console.error('bot child failed to start', err);
        process.exit(1);
      },
    );
  } else if (msg.type === 'usage') {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    send({ type: 'usage', cpuUs: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed });
  } else if (msg.type === 'close') {
    exit();
  }
});
process.on('disconnect', exit);
