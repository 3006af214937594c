import { DWClient, type DWClientDownStream, EventAck, TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import type WebSocket from 'ws';
import type { Logger } from '../../core/ports.js';

/** What the gateway's connections/open answered. */
export interface StreamTicket {
  endpoint: string;
  ticket: string;
}

export interface StreamClientHooks {
  /** POSTs connections/open (with the product HTTP client) and returns the endpoint and ticket. */
  open(body: {
    clientId: string;
    clientSecret: string;
    ua: string;
    subscriptions: Subscription[];
  }): Promise<StreamTicket>;
  /** Any sign of life on the socket: a frame or a pong. */
  onActivity(kind: 'frame' | 'pong'): void;
  /** A SYSTEM `disconnect`: the gateway will close this socket in ~10 s. */
  onDisconnectNotice(): void;
  logger: Logger;
}

export interface Subscription {
  type: 'EVENT' | 'CALLBACK';
  topic: string;
}

/** Explicit subscriptions: the SDK's default list is one array shared by every client (docs/reference/dingtalk.md). */
export const SUBSCRIPTIONS: readonly Subscription[] = [
  { type: 'CALLBACK', topic: TOPIC_ROBOT },
  { type: 'CALLBACK', topic: TOPIC_CARD },
];

interface Internals {
  dw_url?: string;
  socket?: WebSocket;
}

/**
 * The SDK's DWClient with its defects contained (docs/reference/dingtalk.md "Known SDK defects"):
 * - getEndpoint() calls the configured gateway through the product HTTP client (the SDK's URL is a constant and its
 *   debug output prints the secret and the ticket);
 * - autoReconnect and keepAlive are off: the connection supervisor reconnects and watches the socket;
 * - onDownStream() drops malformed frames instead of throwing out of the socket's `message` listener (which left the
 *   socket delivering nothing), and catches whatever a handler throws.
 * @example
 * const client = new GuardedStreamClient({ clientId, clientSecret }, hooks);
 * client.registerCallbackListener(TOPIC_ROBOT, onRobot);
 */
export class GuardedStreamClient extends DWClient {
  private readonly hooks: StreamClientHooks;
  private readonly secret: { clientId: string; clientSecret: string };

  constructor(credentials: { clientId: string; clientSecret: string }, hooks: StreamClientHooks) {
    const options = {
      ...credentials,
      ua: 'opsgate/0.1',
      debug: false,
      keepAlive: false,
      autoReconnect: false,
      subscriptions: SUBSCRIPTIONS.map((s) => ({ ...s })),
    };
    super(options as ConstructorParameters<typeof DWClient>[0]);
    this.hooks = hooks;
    this.secret = credentials;
    // The SDK acks EVENT frames with whatever this returns; a throw here must not escape either.
    this.registerAllEventListener(() => ({ status: EventAck.SUCCESS }));
  }

  override async getEndpoint(): Promise<this> {
    const { endpoint, ticket } = await this.hooks.open({
      clientId: this.secret.clientId,
      clientSecret: this.secret.clientSecret,
      ua: this.config.ua ?? 'opsgate',
      subscriptions: this.config.subscriptions as Subscription[],
    });
    (this as unknown as Internals).dw_url = `${endpoint}?ticket=${encodeURIComponent(ticket)}`;
    return this;
  }

  override onDownStream(data: string): void {
    this.hooks.onActivity('frame');
    const frame = parseFrame(data);
    if (!frame) {
      // Never the data: a frame can carry message text and session webhooks.
      this.hooks.logger.warn({ bytes: byteLength(data) }, 'dingtalk: malformed stream frame dropped');
      return;
    }
    try {
      if (frame.type === 'SYSTEM' && frame.headers.topic === 'disconnect') this.hooks.onDisconnectNotice();
      super.onDownStream(data);
    } catch (err) {
      this.hooks.logger.error(
        { topic: frame.headers.topic, type: frame.type, error: errorName(err) },
        'dingtalk: frame handler threw; frame dropped',
      );
    }
  }

  override heartbeat(): void {
    this.hooks.onActivity('pong');
  }

  /** The socket the SDK currently holds (private in the SDK). */
  currentSocket(): WebSocket | undefined {
    return (this as unknown as Internals).socket;
  }

  /** Answers a CALLBACK frame; never throws (a socket that is not open just drops the answer). */
  answer(messageId: string, response: unknown): boolean {
    try {
      const socket = this.currentSocket();
      if (socket?.readyState !== 1) return false;
      this.socketCallBackResponse(messageId, response);
      return true;
    } catch (err) {
      this.hooks.logger.warn({ error: errorName(err) }, 'dingtalk: callback answer failed');
      return false;
    }
  }
}

/** A frame the SDK can dispatch without throwing: an object with a string type and a headers object. */
function parseFrame(data: unknown): DWClientDownStream | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof data === 'string' ? data : String(data));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const frame = parsed as Partial<DWClientDownStream>;
  if (typeof frame.type !== 'string' || typeof frame.headers !== 'object' || frame.headers === null) return undefined;
  if (typeof frame.headers.topic !== 'string') return undefined;
  if ((frame.type === 'EVENT' || frame.type === 'CALLBACK') && typeof frame.headers.messageId !== 'string') {
    return undefined;
  }
  return frame as DWClientDownStream;
}

function byteLength(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (Buffer.isBuffer(data)) return data.length;
  return 0;
}

export function errorName(err: unknown): string {
  if (err instanceof Error) return (err as { code?: unknown }).code?.toString() ?? err.name;
  return typeof err;
}
