import type { Clock, Logger } from '../../core/ports.js';
import type { LeaseStore } from '../../core/store-ports.js';
import { errorName } from './stream-client.js';
import type { Timers } from './supervisor.js';

/** How long a lease lives unrenewed, how often the holder renews it, how often a standby replica tries to take it. */
export interface LeaseTiming {
  ttlMs: number;
  renewMs: number;
  pollMs: number;
}

/** 15 s lease renewed every 5 s: a dead holder's connection is taken over 15-20 s later. */
export function leaseTiming(ttlMs = 15_000): LeaseTiming {
  return { ttlMs, renewMs: Math.max(100, Math.floor(ttlMs / 3)), pollMs: Math.max(100, Math.floor(ttlMs / 3)) };
}

/**
 * One live Stream connection per app across replicas: DingTalk's card examples warn that several Stream services on
 * one client id lose card callbacks (open-dingtalk/dingtalk-card-examples README, "没有收到卡片交互组件的回传请求事件",
 * item 4). The replica that holds the store's lease connects (`hold`); the others stand by and try again every
 * `pollMs`. The holder renews every `renewMs`; a renewal refused (someone else holds it) or impossible for longer than
 * the lease could still be alive drops the connection (`drop`), so two sockets never overlap for long. stop() drops
 * the connection and releases the lease, so a SIGTERM hands over at once.
 * @example
 * const tenure = createStreamTenure({ leases: store.leases, key, timing: leaseTiming(), hold, drop, … });
 * await tenure.start();
 */
export function createStreamTenure(deps: {
  leases: LeaseStore;
  key: string;
  timing: LeaseTiming;
  timers: Timers;
  now: Clock;
  logger: Logger;
  /** Connects; rejects only when retrying cannot help (bad credentials). */
  hold(): Promise<void>;
  /** Disconnects; never rejects. */
  drop(): Promise<void>;
}) {
  const { leases, key, timing, timers, now, logger } = deps;
  let token: string | undefined;
  let stopped = false;
  let timer: unknown;
  let lastRenewed = 0;

  function schedule(fn: () => Promise<void>, ms: number): void {
    timer = timers.setTimeout(() => {
      timer = undefined;
      void fn();
    }, ms);
  }

  async function release(held: string): Promise<void> {
    await leases.release(key, held).catch((err: unknown) => {
      logger.warn({ error: errorName(err) }, 'dingtalk: could not release the stream lease');
    });
  }

  /** Takes the lease if free and connects; false when another replica holds it. Rejects when hold() does. */
  async function acquire(): Promise<boolean> {
    let got: string | undefined;
    try {
      got = await leases.acquire(key, timing.ttlMs);
    } catch (err) {
      logger.warn({ error: errorName(err) }, 'dingtalk: stream lease unavailable; standing by');
      return false;
    }
    if (!got) return false;
    if (stopped) {
      await release(got);
      return false;
    }
    token = got;
    lastRenewed = now();
    logger.info({ ttlMs: timing.ttlMs }, 'dingtalk: stream lease held; connecting');
    schedule(renew, timing.renewMs);
    try {
      await deps.hold();
    } catch (err) {
      await giveUp();
      throw err;
    }
    return true;
  }

  async function giveUp(): Promise<void> {
    const held = token;
    token = undefined;
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    await deps.drop();
    if (held) await release(held);
  }

  async function poll(): Promise<void> {
    if (stopped) return;
    try {
      if (await acquire()) return;
    } catch (err) {
      logger.error({ error: errorName(err) }, 'dingtalk: stream connection refused after taking the lease');
    }
    if (!stopped && token === undefined) schedule(poll, timing.pollMs);
  }

  async function renew(): Promise<void> {
    const held = token;
    if (stopped || !held) return;
    let renewed: boolean | undefined;
    try {
      renewed = await leases.renew(key, held, timing.ttlMs);
    } catch (err) {
      logger.warn({ error: errorName(err) }, 'dingtalk: stream lease renewal failed');
    }
    if (stopped || token !== held) return;
    if (renewed) {
      lastRenewed = now();
      schedule(renew, timing.renewMs);
      return;
    }
    // The store did not answer: the lease may still be ours until it would have expired. Refused: it is not.
    if (renewed === undefined && now() - lastRenewed + timing.renewMs < timing.ttlMs) {
      schedule(renew, Math.max(50, Math.floor(timing.renewMs / 2)));
      return;
    }
    logger.warn({ refused: renewed === false }, 'dingtalk: stream lease lost; closing the connection and standing by');
    token = undefined;
    await deps.drop();
    if (!stopped) schedule(poll, timing.pollMs);
  }

  return {
    /** Connects when the lease is free, else stands by. Rejects only when hold() does (bad credentials). */
    async start(): Promise<void> {
      if (await acquire()) return;
      if (stopped) return;
      logger.info({ pollMs: timing.pollMs }, 'dingtalk: another replica holds the stream connection; standing by');
      schedule(poll, timing.pollMs);
    },
    async stop(): Promise<void> {
      stopped = true;
      await giveUp();
    },
    /** True while this replica holds the lease. */
    holding: (): boolean => token !== undefined,
  };
}
