import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

/** The Socket Mode side of the fake Slack: apps.connections.open hands out its URL. */
export interface FakeSocketMode {
  /** A fresh wss-style URL (ws:// here) for apps.connections.open. */
  connectUrl(): string;
  /** Resolves when a client has connected and been sent `hello`; rejects after timeoutMs. */
  connected(timeoutMs?: number): Promise<void>;
  /**
   * Sends one envelope (`slash_commands`, `interactive`, `events_api`) to the connected client and resolves with its
   * ack (`{ envelope_id, payload? }`); rejects after timeoutMs.
   */
  deliver(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: unknown,
    timeoutMs?: number,
  ): Promise<SocketAck>;
  close(): Promise<void>;
}

/**
 * Socket Mode as documented (https://docs.slack.dev/apis/events-api/using-socket-mode): the client opens the URL from
 * apps.connections.open, the server says `hello`, then sends envelopes; the client acks each with its envelope_id.
 */
export function attachFakeSocketMode(server: Server, httpUrl: string): FakeSocketMode {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const waiting = new Map<string, (ack: SocketAck) => void>();
  let client: WebSocket | undefined;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', httpUrl);
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/socket' || !tickets.delete(ticket)) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      client = ws;
      ws.on('message', (data) => {
        try {
          const ack = JSON.parse(String(data)) as SocketAck;
          waiting.get(ack.envelope_id)?.(ack);
        } catch {
          // not an ack
        }
      });
      ws.on('close', () => {
        if (client === ws) client = undefined;
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 3600 },
          connection_info: { app_id: 'A0FAKEAPP1' },
        }),
      );
    });
  });

  const bounded = <T>(timeoutMs: number, what: string, run: (done: (v: T) => void) => () => void) =>
    new Promise<T>((resolve, reject) => {
      let cleanup = () => {};
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Socket Mode: ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      cleanup = run((v) => {
        clearTimeout(timer);
        cleanup();
        resolve(v);
      });
    });

  return {
    connectUrl() {
      const ticket = randomBytes(8).toString('hex');
      tickets.add(ticket);
      return `${httpUrl.replace(/^http/, 'ws')}/socket?ticket=${ticket}`;
    },
    connected(timeoutMs = 5000) {
      return bounded<void>(timeoutMs, 'no client connected', (done) => {
        const poll = setInterval(() => client && done(), 10);
        return () => clearInterval(poll);
      });
    },
    deliver(type, payload, timeoutMs = 5000) {
      const ws = client;
      if (!ws) return Promise.reject(new Error('fake Socket Mode: no client connected'));
      const envelope_id = randomBytes(8).toString('hex');
      return bounded<SocketAck>(timeoutMs, `no ack for ${type}`, (done) => {
        waiting.set(envelope_id, done);
        ws.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api' }));
        return () => waiting.delete(envelope_id);
      });
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
