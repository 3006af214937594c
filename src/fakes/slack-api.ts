import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createFakeChannels, type FakeChannel, type FakeChannelOptions } from './slack-channels.js';
import { attachFakeSocketMode, type FakeSocketMode } from './slack-socket.js';

/** One call the fake received: a Web API method or a response_url post. Tokens are checked, never recorded. */
export interface FakeSlackCall {
  /** `chat.postMessage`, … or `response_url`. */
  method: string;
  /** Parsed body: form fields (JSON-looking values parsed) or the JSON body. */
  body: Record<string, unknown>;
  /** How the caller authenticated: the right token, a wrong one, or none. */
  auth: 'ok' | 'invalid' | 'missing';
  /** response_url calls: the id in /response_url/<id>. */
  responseUrlId?: string;
  /** HTTP status the fake answered. */
  status: number;
  /** The JSON the fake answered (e.g. the `ts` of a posted message). */
  response?: Record<string, unknown>;
}

export interface FakeSlackFault {
  method: string;
  /** 429 (with Retry-After), 500, … or 200 with `{ ok: false, error }` when `error` is set. */
  status?: number;
  retryAfter?: number;
  error?: string;
  times?: number;
}

export interface FakeSlackApi {
  /** Web API base URL for SLACK_API_URL / clientOptions.slackApiUrl, ending in `/api/`. */
  apiUrl: string;
  url: string;
  botToken: string;
  appToken: string;
  responseUrl(id: string): string;
  calls: FakeSlackCall[];
  /** Resolves with the first call (already received or coming) matching; rejects after timeoutMs (default 5 s). */
  waitFor(predicate: (call: FakeSlackCall) => boolean, timeoutMs?: number): Promise<FakeSlackCall>;
  inject(fault: FakeSlackFault): void;
  /** Current text and blocks of a posted message, after any chat.update. */
  message(channel: string, ts: string): { text?: string; blocks?: unknown; thread_ts?: string } | undefined;
  socket: FakeSocketMode;
  /** Declares a channel (membership, privacy, archive state); undeclared channels are public and joined. */
  addChannel(channel: FakeChannel): void;
  isMember(channel: string): boolean;
  /** The Home tab last published for a user (views.publish). */
  homeView(user: string): { blocks: unknown[] } | undefined;
  /** Replaces the bot scopes the fake grants (missing_scope answers follow them). */
  setScopes(scopes: string[]): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** Default tokens the fake accepts (tests scan logs for them: test/support/known-secrets.ts). */
export const FAKE_SLACK_BOT_TOKEN = 'xoxb-fake-opsgate-bot';
export const FAKE_SLACK_APP_TOKEN = 'xapp-1-fake-opsgate-app';

/**
 * A fake Slack Web API on 127.0.0.1 (port 0): auth.test, chat.postMessage, chat.update, chat.postEphemeral,
 * views.open, views.publish, conversations.info/join/list (membership and names: slack-channels.ts),
 * apps.connections.open (Socket Mode, see slack-socket.ts), and `/response_url/<id>`.
 * Bearer tokens are checked as Slack does (200 with `ok: false, error: invalid_auth`). Faults per method.
 * @example
 * const slack = await startFakeSlackApi();
 * slack.inject({ method: 'chat.update', status: 429, retryAfter: 1 });
 * await slack.waitFor((c) => c.method === 'chat.postMessage');
 */
export async function startFakeSlackApi(
  options: { botToken?: string; appToken?: string } & FakeChannelOptions = {},
): Promise<FakeSlackApi> {
  const botToken = options.botToken ?? FAKE_SLACK_BOT_TOKEN;
  const appToken = options.appToken ?? FAKE_SLACK_APP_TOKEN;
  const calls: FakeSlackCall[] = [];
  const faults: Array<FakeSlackFault & { left: number }> = [];
  const messages = new Map<string, { text?: string; blocks?: unknown; thread_ts?: string }>();
  const world = createFakeChannels(options);
  const sockets = new Set<Socket>();
  let seq = 0;
  const ts = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const socket = attachFakeSocketMode(server, url);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return void req.socket.destroy();
      chunks.push(chunk as Buffer);
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = parseBody(String(req.headers['content-type'] ?? ''), Buffer.concat(chunks).toString('utf8'));
    const hook = /^\/response_url\/([A-Za-z0-9_-]{1,64})$/.exec(path);
    if (hook && req.method === 'POST') {
      calls.push({ method: 'response_url', body, auth: 'missing', responseUrlId: hook[1], status: 200 });
      return void send(res, 200, { ok: true });
    }
    const method = /^\/api\/([A-Za-z.]{3,64})$/.exec(path)?.[1];
    if (!method || req.method !== 'POST') return void send(res, 404, { ok: false, error: 'unknown_method' });
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const expected = method === 'apps.connections.open' ? appToken : botToken;
    const auth = bearer === undefined ? 'missing' : bearer === expected ? 'ok' : 'invalid';
    const call: FakeSlackCall = { method, body, auth, status: 200 };
    calls.push(call);
    const fault = takeFault(method);
    if (fault?.error) return void send(res, 200, { ok: false, error: fault.error });
    if (fault) {
      call.status = fault.status ?? 500;
      const headers: Record<string, string> =
        fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      return void send(
        res,
        call.status,
        { ok: false, error: call.status === 429 ? 'ratelimited' : 'fatal_error' },
        headers,
      );
    }
    if (auth !== 'ok')
      return void send(res, 200, { ok: false, error: auth === 'missing' ? 'not_authed' : 'invalid_auth' });
    call.response = answer(method, body);
    send(res, 200, call.response);
  }

  function answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const channel = typeof body.channel === 'string' ? body.channel : undefined;
    const refused = channel ? world.check(method, channel) : undefined;
    if (refused) return refused;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://opsgate-fake.slack.com/',
          team: 'opsgate-fake',
          user: 'opsgate',
          team_id: 'T0FAKE0001',
          user_id: 'U0FAKEBOT1',
          bot_id: 'B0FAKEBOT1',
        };
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!body.text && !body.blocks) return { ok: false, error: 'no_text' };
        const at = ts();
        // A user ID as channel posts in the app's DM with that person; the answer names the DM channel.
        if (/^[UW][A-Z0-9]+$/.test(channel)) {
          const dm = `D${channel.slice(1)}`;
          messages.set(`${dm} ${at}`, { text: body.text as string, blocks: body.blocks });
          return { ok: true, channel: dm, ts: at, message: { type: 'message', text: body.text, ts: at } };
        }
        const thread_ts = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
        messages.set(`${channel} ${at}`, {
          text: body.text as string,
          blocks: body.blocks,
          ...(thread_ts ? { thread_ts } : {}),
        });
        return {
          ok: true,
          channel,
          ts: at,
          message: { type: 'message', text: body.text, ts: at, blocks: body.blocks },
        };
      }
      case 'chat.update': {
        const key = `${channel} ${body.ts}`;
        if (!messages.has(key)) return { ok: false, error: 'message_not_found' };
        messages.set(key, { text: body.text as string, blocks: body.blocks });
        return { ok: true, channel, ts: body.ts, text: body.text };
      }
      case 'chat.postEphemeral':
        if (!channel || typeof body.user !== 'string') return { ok: false, error: 'invalid_arguments' };
        return { ok: true, message_ts: ts() };
      case 'views.open': {
        if (typeof body.trigger_id !== 'string' || !body.trigger_id) return { ok: false, error: 'invalid_arguments' };
        if (typeof body.view !== 'object' || body.view === null) return { ok: false, error: 'invalid_arguments' };
        const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
        return { ok: true, view: { ...(body.view as object), id, hash: `${ts()}.fake` } };
      }
      case 'conversations.info':
        return { ok: true, channel: world.channelObject(String(body.channel)) };
      case 'conversations.join':
        return world.join(body.channel);
      case 'conversations.list':
        return world.list(body);
      case 'views.publish':
        return world.publish(body);
      case 'apps.connections.open':
        return { ok: true, url: socket.connectUrl() };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  function takeFault(method: string): FakeSlackFault | undefined {
    const found = faults.find((f) => f.method === method);
    if (!found) return undefined;
    found.left -= 1;
    if (found.left <= 0) faults.splice(faults.indexOf(found), 1);
    return found;
  }

  return {
    apiUrl: `${url}/api/`,
    url,
    botToken,
    appToken,
    responseUrl: (id) => `${url}/response_url/${id}`,
    calls,
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.find(predicate);
        if (found) return found;
        if (Date.now() >= deadline) throw new Error(`fake Slack API: no matching call within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    inject(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    message: (channel, at) => messages.get(`${channel} ${at}`),
    socket,
    addChannel: (c) => world.addChannel(c),
    isMember: (c) => world.isMember(c),
    homeView: (user) => world.homeView(user),
    setScopes: (s) => world.setScopes(s),
    async close() {
      await socket.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await stopped;
    },
  };
}

function parseBody(contentType: string, text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    if (contentType.includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      // The Web API client sends objects (blocks, view) as JSON strings inside the form.
      out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
    }
    return out;
  } catch {
    return { _unparsed: true };
  }
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
