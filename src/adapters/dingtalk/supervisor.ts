import type WebSocket from 'ws';
import type { Logger } from '../../core/ports.js';
import { errorName } from './stream-client.js';

/** Reconnect and watchdog timings; tests shrink them. */
export interface StreamTiming {
  /** First reconnect delay; doubles per consecutive failure (with jitter: half to all of it). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A connection that lived this long resets the backoff when it drops. */
  stableMs: number;
  /** Watchdog period: each tick pings the socket. */
  pingIntervalMs: number;
  /** No frame and no pong for this long: the socket is closed and replaced. */
  silenceMs: number;
  /** Bound on getting from "ticket in hand" to an open socket. */
  connectTimeoutMs: number;
  /** After a SYSTEM disconnect, time left for in-flight answers (card callbacks: 2 s) before the socket is closed. */
  disconnectGraceMs: number;
}

export const DEFAULT_STREAM_TIMING: StreamTiming = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  stableMs: 30_000,
  pingIntervalMs: 10_000,
  silenceMs: 35_000,
  connectTimeoutMs: 15_000,
  disconnectGraceMs: 2_000,
};

/** Timer functions, injectable so tests can count what is left pending after stop(). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The parts of the SDK client the supervisor drives. */
export interface Connectable {
  getEndpoint(): Promise<unknown>;
  _connect(): Promise<void>;
  currentSocket(): WebSocket | undefined;
}

export interface StreamHealth {
  connected: boolean;
  lastMessageAt?: number;
  reconnects: number;
}

/**
 * One connection at a time, owned here rather than by the SDK (whose reconnect storms and leaks its keep-alive timer,
 * docs/reference/dingtalk.md): exponential backoff with jitter and a cap after every failure or drop, a watchdog that pings
 * and replaces a silent socket, and stop() that leaves no timer and no socket behind.
 * @example
 * const supervisor = createStreamSupervisor({ client, logger, now: Date.now });
 * await supervisor.start();
 */
export function createStreamSupervisor(deps: {
  client: Connectable;
  logger: Logger;
  now: () => number;
  timing?: Partial<StreamTiming>;
  timers?: Timers;
  random?: () => number;
  /** Decides whether a failed first connect should make start() throw (bad credentials). */
  fatal?: (err: unknown) => boolean;
}) {
  const timing = { ...DEFAULT_STREAM_TIMING, ...deps.timing };
  const timers = deps.timers ?? realTimers;
  const random = deps.random ?? Math.random;
  const { client, logger, now } = deps;
  let started = false;
  let stopped = false;
  let connecting = false;
  let current: WebSocket | undefined;
  let openedAt = 0;
  let lastActivity = 0;
  let lastMessageAt: number | undefined;
  let failures = 0;
  let reconnects = 0;
  let graceful = false;
  let inflight: Promise<unknown> | undefined;
  const pending = { reconnect: undefined as unknown, watchdog: undefined as unknown, connect: undefined as unknown };
  let disconnectTimer: unknown;

  function clear(name: keyof typeof pending): void {
    if (pending[name] !== undefined) timers.clearTimeout(pending[name]);
    pending[name] = undefined;
  }

  function clearDisconnect(): void {
    if (disconnectTimer !== undefined) timers.clearTimeout(disconnectTimer);
    disconnectTimer = undefined;
  }

  function backoff(failure: number): number {
    const cap = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** Math.min(failure - 1, 30));
    return Math.round(cap / 2 + (random() * cap) / 2);
  }

  function scheduleReconnect(): void {
    if (stopped || pending.reconnect !== undefined || connecting) return;
    failures++;
    const delay = backoff(failures);
    logger.info({ delayMs: delay, failures }, 'dingtalk: stream reconnect scheduled');
    pending.reconnect = timers.setTimeout(() => {
      pending.reconnect = undefined;
      reconnects++;
      inflight = attempt();
    }, delay);
  }

  function tick(): void {
    pending.watchdog = undefined;
    const socket = current;
    if (!socket || stopped) return;
    if (now() - lastActivity > timing.silenceMs) {
      logger.warn({ silentMs: now() - lastActivity }, 'dingtalk: stream silent; replacing the socket');
      socket.terminate();
      return;
    }
    try {
      socket.ping();
    } catch {
      // A socket closing under us: its close event reconnects.
    }
    pending.watchdog = timers.setTimeout(tick, timing.pingIntervalMs);
  }

  function onClose(socket: WebSocket): void {
    if (socket !== current) return;
    current = undefined;
    clear('watchdog');
    clearDisconnect();
    if (stopped) return;
    if (graceful || now() - openedAt >= timing.stableMs) failures = 0;
    graceful = false;
    logger.warn({ livedMs: now() - openedAt }, 'dingtalk: stream closed');
    scheduleReconnect();
  }

  async function attempt(): Promise<unknown> {
    if (stopped || connecting) return undefined;
    connecting = true;
    try {
      await client.getEndpoint();
      if (stopped) return undefined;
      pending.connect = timers.setTimeout(() => {
        pending.connect = undefined;
        client.currentSocket()?.terminate();
      }, timing.connectTimeoutMs);
      await client._connect();
      clear('connect');
      const socket = client.currentSocket();
      if (stopped || !socket) {
        socket?.terminate();
        return undefined;
      }
      current = socket;
      openedAt = now();
      lastActivity = openedAt;
      socket.once('close', () => onClose(socket));
      pending.watchdog = timers.setTimeout(tick, timing.pingIntervalMs);
      logger.info({ reconnects }, 'dingtalk: stream connected');
      return undefined;
    } catch (err) {
      clear('connect');
      if (stopped) return err;
      logger.warn({ error: errorName(err), failures: failures + 1 }, 'dingtalk: stream connect failed');
      connecting = false;
      scheduleReconnect();
      return err;
    } finally {
      connecting = false;
    }
  }

  return {
    /** Connects once; throws only when the first answer says the credentials are wrong (then nothing is retried). */
    async start(): Promise<void> {
      if (started) return;
      started = true;
      inflight = attempt();
      const err = await inflight;
      if (err !== undefined && deps.fatal?.(err)) {
        await this.stop();
        throw err;
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      clear('reconnect');
      clear('watchdog');
      clear('connect');
      clearDisconnect();
      current?.terminate();
      current = undefined;
      client.currentSocket()?.terminate();
      // An attempt waiting on connections/open finishes on its own (bounded by HTTP timeouts) and sees `stopped`.
      await Promise.race([inflight, new Promise((r) => setImmediate(r))]);
    },
    /** Called by the client for frames and pongs. */
    activity(kind: 'frame' | 'pong'): void {
      lastActivity = now();
      if (kind === 'frame') lastMessageAt = lastActivity;
    },
    /** SYSTEM disconnect: let answers in flight go out, then replace the socket without backoff penalty. */
    disconnectNotice(): void {
      const socket = current;
      if (!socket || disconnectTimer !== undefined) return;
      graceful = true;
      disconnectTimer = timers.setTimeout(() => {
        disconnectTimer = undefined;
        socket.terminate();
      }, timing.disconnectGraceMs);
    },
    health(): StreamHealth {
      return { connected: current !== undefined, ...(lastMessageAt ? { lastMessageAt } : {}), reconnects };
    },
  };
}

export type StreamSupervisor = ReturnType<typeof createStreamSupervisor>;
