import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';

/** Topics of docs/reference/dingtalk.md (same strings as the SDK's TOPIC_ROBOT / TOPIC_CARD). */
export const FAKE_TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const FAKE_TOPIC_CARD = '/v1.0/card/instances/callback';
/** Default app credentials of the fake gateway and the fake OpenAPI (tests scan logs for the secret). */
export const FAKE_DINGTALK_CREDENTIALS = { clientId: 'dingfakeclientid', clientSecret: 'fake-dingtalk-client-secret' };

const openBody = z.object({
  clientId: z.string(),
  clientSecret: z.string(),
  ua: z.string().optional(),
  subscriptions: z.array(z.object({ type: z.string(), topic: z.string() })),
});

/** What a client sent back for a pushed frame: `{code, headers:{messageId}, message, data}`. */
export interface GatewayResponse {
  code: unknown;
  messageId: string;
  /** `data` parsed (the SDK sends JSON text; callback answers are `{response: …}`). */
  data: unknown;
  at: number;
}

export interface FakeGatewayOptions {
  clientId?: string;
  clientSecret?: string;
  /** Ticket lifetime (real gateway: ~90 s). */
  ticketTtlMs?: number;
}

interface Connection {
  socket: WebSocket;
  subscriptions: Array<{ type: string; topic: string }>;
  id: string;
}

/**
 * A fake DingTalk Stream gateway on 127.0.0.1: `POST /v1.0/gateway/connections/open` (credentials checked, single-use
 * tickets) and the WebSocket `/connect?ticket=`, speaking the frame protocol of docs/reference/dingtalk.md and the SDK
 * source. Tests push robot messages and card clicks, break the connection in the ways the real one breaks, and read
 * back what the client answered.
 * @example
 * const gateway = await startFakeDingTalkGateway();
 * const id = gateway.pushRobotMessage({ msgId: 'm1', text: { content: ' help' } });
 * const answer = await gateway.waitForResponse(id);
 */
export async function startFakeDingTalkGateway(options: FakeGatewayOptions = {}) {
  const clientId = options.clientId ?? FAKE_DINGTALK_CREDENTIALS.clientId;
  const clientSecret = options.clientSecret ?? FAKE_DINGTALK_CREDENTIALS.clientSecret;
  const ticketTtl = options.ticketTtlMs ?? 90_000;
  const tickets = new Map<string, { expiresAt: number; subscriptions: Connection['subscriptions'] }>();
  const connections: Connection[] = [];
  const responses = new Map<string, GatewayResponse[]>();
  const sockets = new Set<Socket>();
  const state = { openCalls: 0, upgrades: 0, refuseOpen: 0, refuseUpgrade: 0, silent: false, malformedAnswers: 0 };
  const openRequests: Array<{ ua?: string; subscriptions: Connection['subscriptions'] }> = [];
  const wss = new WebSocketServer({ noServer: true, autoPong: false });

  function onOpen(body: string): [number, unknown] {
    state.openCalls++;
    let parsed: z.infer<typeof openBody>;
    try {
      parsed = openBody.parse(JSON.parse(body));
    } catch {
      return [400, { code: 'InvalidParameter', message: 'bad body' }];
    }
    openRequests.push({ ...(parsed.ua ? { ua: parsed.ua } : {}), subscriptions: parsed.subscriptions });
    if (state.refuseOpen > 0) {
      state.refuseOpen--;
      return [500, { code: 'ServiceUnavailable', message: 'injected' }];
    }
    if (parsed.clientId !== clientId || parsed.clientSecret !== clientSecret) {
      return [401, { code: 'InvalidAuthentication', message: 'clientId or clientSecret is wrong' }];
    }
    const ticket = randomBytes(16).toString('hex');
    tickets.set(ticket, { expiresAt: Date.now() + ticketTtl, subscriptions: parsed.subscriptions });
    const { port } = server.address() as AddressInfo;
    return [200, { endpoint: `ws://127.0.0.1:${port}/connect`, ticket }];
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && path === '/v1.0/gateway/connections/open') {
        const [status, answer] = onOpen(Buffer.concat(chunks).toString('utf8'));
        return send(res, status, answer);
      }
      send(res, 404, { code: 'NotFound', message: 'no such path' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    const issued = tickets.get(ticket);
    tickets.delete(ticket); // single use
    const reject = (status: number) => {
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/connect' || !issued || issued.expiresAt < Date.now()) return reject(401);
    if (state.refuseUpgrade > 0) {
      state.refuseUpgrade--;
      return reject(503);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      state.upgrades++;
      const connection: Connection = { socket: ws, subscriptions: issued.subscriptions, id: randomUUID() };
      connections.push(connection);
      ws.on('ping', (data) => {
        if (!state.silent) ws.pong(data);
      });
      ws.on('message', (raw: RawData) => record(raw));
      ws.on('close', () => connections.splice(connections.indexOf(connection), 1));
    });
  });

  function record(raw: RawData): void {
    try {
      const frame = JSON.parse(raw.toString()) as { code?: unknown; headers?: { messageId?: unknown }; data?: unknown };
      const messageId = typeof frame.headers?.messageId === 'string' ? frame.headers.messageId : '';
      let data: unknown = frame.data;
      if (typeof data === 'string') {
        try {
          data = JSON.parse(data);
        } catch {
          // kept as text
        }
      }
      const list = responses.get(messageId) ?? [];
      list.push({ code: frame.code, messageId, data, at: Date.now() });
      responses.set(messageId, list);
    } catch {
      state.malformedAnswers++;
    }
  }

  function live(): Connection | undefined {
    for (let i = connections.length - 1; i >= 0; i--) {
      const c = connections[i];
      if (c && c.socket.readyState === c.socket.OPEN) return c;
    }
    return undefined;
  }

  function push(
    type: 'SYSTEM' | 'EVENT' | 'CALLBACK',
    topic: string,
    data: unknown,
    messageId: string = randomUUID(),
  ): string {
    const connection = live();
    if (!connection) throw new Error('fake gateway: no client connected');
    if (type !== 'SYSTEM' && !connection.subscriptions.some((s) => s.topic === topic && s.type === type)) {
      throw new Error(`fake gateway: the client did not subscribe to ${type} ${topic}`);
    }
    const frame = {
      specVersion: '1.0',
      type,
      headers: {
        appId: clientId,
        connectionId: connection.id,
        contentType: 'application/json',
        messageId,
        time: String(Date.now()),
        topic,
      },
      data: typeof data === 'string' ? data : JSON.stringify(data),
    };
    connection.socket.send(JSON.stringify(frame));
    return messageId;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    /** The URL to configure as DINGTALK_GATEWAY_URL. */
    openUrl: `${url}/v1.0/gateway/connections/open`,
    credentials: { clientId, clientSecret },
    /** POST connections/open calls so far (the reconnect-storm counter). */
    get openCalls() {
      return state.openCalls;
    },
    /** WebSocket upgrades accepted so far. */
    get upgrades() {
      return state.upgrades;
    },
    /** Sockets open now. */
    get liveConnections() {
      return connections.filter((c) => c.socket.readyState === c.socket.OPEN).length;
    },
    /** Bodies of connections/open without the secret. */
    openRequests,
    responses,
    /** Pushes a robot message (TOPIC_ROBOT, CALLBACK); returns the frame's messageId. */
    pushRobotMessage(data: Record<string, unknown>, messageId?: string): string {
      return push('CALLBACK', FAKE_TOPIC_ROBOT, data, messageId);
    },
    /** Pushes a card click (TOPIC_CARD, CALLBACK); returns the frame's messageId. */
    pushCardCallback(data: Record<string, unknown>, messageId?: string): string {
      return push('CALLBACK', FAKE_TOPIC_CARD, data, messageId);
    },
    push,
    /** Sends text as it is (malformed frames). */
    pushRaw(text: string): void {
      const connection = live();
      if (!connection) throw new Error('fake gateway: no client connected');
      connection.socket.send(text);
    },
    /** SYSTEM ping; the client must echo it (the echo is recorded under the returned messageId). */
    ping(): string {
      return push('SYSTEM', 'ping', { opaque: randomUUID() });
    },
    /** SYSTEM disconnect; like the real gateway, closes the socket `closeAfterMs` later if the client has not. */
    disconnect(closeAfterMs = 10_000): void {
      const connection = live();
      if (!connection) return;
      push('SYSTEM', 'disconnect', { reason: 'gateway maintenance' });
      const timer = setTimeout(() => connection.socket.terminate(), closeAfterMs);
      connection.socket.once('close', () => clearTimeout(timer));
    },
    /** Cuts every socket without a close frame (a network drop or a gateway restart). */
    dropAll(): void {
      for (const c of [...connections]) c.socket.terminate();
    },
    /** The next `count` connections/open calls answer 500. */
    refuseOpen(count: number): void {
      state.refuseOpen = count;
    },
    /** The next `count` WebSocket upgrades answer 503 (the socket cannot connect). */
    refuseUpgrades(count: number): void {
      state.refuseUpgrade = count;
    },
    /** Silent: pings get no pong (a half-open connection). */
    setSilent(silent: boolean): void {
      state.silent = silent;
    },
    /** Resolves with the first answer to a pushed frame, or rejects after timeoutMs. */
    async waitForResponse(messageId: string, timeoutMs = 5_000): Promise<GatewayResponse> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = responses.get(messageId)?.[0];
        if (found) return found;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`fake gateway: no answer to ${messageId} within ${timeoutMs} ms`);
    },
    /** Resolves when a client is connected, or rejects after timeoutMs. */
    async waitForConnection(timeoutMs = 5_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!live()) {
        if (Date.now() > deadline) throw new Error(`fake gateway: no client connected within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close(): Promise<void> {
      for (const c of [...connections]) c.socket.terminate();
      wss.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await stopped;
    },
  };
}

export type FakeDingTalkGateway = Awaited<ReturnType<typeof startFakeDingTalkGateway>>;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
