import type { RequestListener } from 'node:http';
import { App, type Authorize, HTTPReceiver, type Receiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { ApprovalService } from '../../core/approvals/service.js';
import type { Core } from '../../core/core.js';
import { toOpsError } from '../../core/errors.js';
import type { Locale } from '../../core/i18n/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import { registerSecrets } from '../../core/scrub.js';
import type { Store } from '../../core/store-ports.js';
import { registerActions } from './actions.js';
import { createAfterAck } from './after-ack.js';
import { createBoltLogger } from './bolt-logger.js';
import { createCommandHandler } from './commands.js';
import type { SlackConfig } from './config.js';
import { createChannelNames } from './channel-names.js';
import { createDecideFlow } from './decide-flow.js';
import { createHome } from './home.js';
import { isSlackId } from './ids.js';
import { registerInboxActions } from './inbox-actions.js';
import { guardNullBody } from './null-body-guard.js';
import { createSlackPoster, platformError, type SlackPoster } from './poster.js';
import { scrubbingFetch } from './scrub-fetch.js';
import { guardTimestamp } from './timestamp-guard.js';

export interface SlackAdapterDeps {
  core: Core;
  approvals: ApprovalService;
  store: Store;
  logger: Logger;
  now: Clock;
  config: SlackConfig;
  /** Slack payloads carry no locale: every text is in this one (OPSGATE_LOCALE). */
  defaultLocale: Locale;
  /** Web API retries per call (default 2; tests use 0). A 429 waits for Retry-After before retrying. */
  clientRetries?: number;
  /** IANA zone of times written in words (gate timeouts, run start); default UTC. */
  timezone?: string;
}

export interface SlackAdapter {
  app: App;
  /** HTTP mode: Bolt's listener for `POST /slack/events` (signature and 5-minute window checked); mount it as is. */
  requestListener?: RequestListener;
  /** Socket Mode: opens the WebSocket. HTTP mode: nothing (the product's HTTP server serves requestListener). */
  start(): Promise<void>;
  stop(): Promise<void>;
  poster: SlackPoster;
  readonly mode: 'http' | 'socket';
}

/** Bolt's path for events, commands and interactivity; the manifest points all three at it. */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * The Slack face of opsgate on Bolt 5: `/ops` slash commands, Approve/Reject buttons, the reject-reason modal, and
 * the approval poster (registered with the approval service here).
 * @example
 * const slack = createSlackAdapter({ core, approvals, store, logger, now: Date.now, config, defaultLocale: 'en' });
 * if (slack.requestListener) router.post('/slack/events', slack.requestListener);
 * await slack.start();
 */
export function createSlackAdapter(deps: SlackAdapterDeps): SlackAdapter {
  const { config, logger } = deps;
  // Whoever holds these secrets makes sure the scrubber knows them (loadServerConfig registers them too).
  registerSecrets([config.botToken, config.signingSecret, config.appToken]);
  const boltLogger = createBoltLogger(logger, [config.botToken, config.signingSecret, config.appToken]);
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    // The default policy retries for ~30 minutes; a chat answer that late is useless. 429s wait for Retry-After.
    retryConfig: { retries: deps.clientRetries ?? 2, factor: 2, minTimeout: 300, maxTimeout: 3000, randomize: true },
    timeout: config.timeoutMs ?? 10_000,
    // Every Web API call and every respond() sends through this: no secret reaches Slack (scrub-fetch.ts).
    fetch: scrubbingFetch(globalThis.fetch as webApi.FetchFunction),
  };
  let receiver: Receiver;
  let requestListener: RequestListener | undefined;
  if (config.appToken) {
    receiver = new SocketModeReceiver({
      appToken: config.appToken,
      logger: boltLogger,
      installerOptions: { clientOptions },
    });
  } else {
    const http = new HTTPReceiver({
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      // Ack first: Bolt answers Slack as soon as ack() is called, and the work continues after.
      processBeforeResponse: false,
      logger: boltLogger,
      unhandledRequestTimeoutMillis: config.unhandledRequestTimeoutMs,
    });
    // Slack's wall clock, not the injected one: Bolt checks the past with Date.now as well.
    requestListener = guardTimestamp(guardNullBody(http.requestListener));
    receiver = http;
  }
  // A fixed authorization: no auth.test call, so start-up and every request work without asking Slack who we are.
  const authorize: Authorize<boolean> = async () => ({ botToken: config.botToken });
  const app = new App({ receiver, authorize, logger: boltLogger, clientOptions, ignoreSelf: false, convoStore: false });
  app.error(async (error) => {
    logger.error(
      { code: toOpsError(error).code, slackCode: (error as { code?: string }).code },
      'slack listener failed',
    );
  });

  const timezone = deps.timezone ?? 'UTC';
  const home = createHome({
    client: app.client,
    token: config.botToken,
    approvals: deps.approvals,
    locale: deps.defaultLocale,
    timezone,
    now: deps.now,
    logger,
  });
  const poster = createSlackPoster({
    client: app.client,
    token: config.botToken,
    locale: deps.defaultLocale,
    now: deps.now,
    timezone,
    logger,
    onChange: () => home.refresh(),
  });
  deps.approvals.registerPoster(poster);
  const afterAck = createAfterAck();
  const flow = createDecideFlow({ ...deps, poster, locale: deps.defaultLocale });
  const handleCommand = createCommandHandler({
    ...deps,
    poster,
    locale: deps.defaultLocale,
    timezone,
    channelNames: createChannelNames({ client: app.client, token: config.botToken, now: deps.now, logger }),
    async postVisible(channel, text, blocks) {
      try {
        await app.client.chat.postMessage({ token: config.botToken, channel, text, blocks });
      } catch (err) {
        throw platformError('chat.postMessage', err);
      }
    },
  });

  app.command(config.command ?? '/ops', async ({ ack, command, respond }) => {
    await ack();
    await afterAck();
    try {
      await handleCommand(command, respond);
    } catch (err) {
      logger.error({ code: toOpsError(err).code }, 'slack command failed');
    }
  });
  // Seals modal metadata: the signing secret (HTTP mode) or the bot token (Socket Mode), shared by every replica.
  const metadataKey = config.signingSecret || config.botToken;
  registerActions(app, {
    store: deps.store,
    poster,
    flow,
    token: config.botToken,
    metadataKey,
    logger,
    locale: deps.defaultLocale,
    afterAck,
  });

  registerInboxActions(app, {
    store: deps.store,
    approvals: deps.approvals,
    poster,
    flow,
    home,
    token: config.botToken,
    metadataKey,
    logger,
    locale: deps.defaultLocale,
    afterAck,
  });
  // The Home tab lists the person's inbox (manifest: app_home.home_tab_enabled, event app_home_opened). Publishing is
  // idempotent, so an Events API retry only publishes the same view again.
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home' || !isSlackId(event.user)) return;
    await home.opened(event.user);
  });

  const socket = Boolean(config.appToken);
  return {
    app,
    ...(requestListener ? { requestListener } : {}),
    poster,
    mode: socket ? 'socket' : 'http',
    async start() {
      if (socket) await app.start();
    },
    async stop() {
      home.stop();
      if (socket) await app.stop();
    },
  };
}
