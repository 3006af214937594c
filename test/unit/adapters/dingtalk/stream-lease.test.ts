import { describe, expect, it } from 'vitest';
import { createStreamTenure, leaseTiming } from '../../../../src/adapters/dingtalk/stream-lease.js';
import { silentLogger } from '../../../../src/core/ports.js';
import type { LeaseStore } from '../../../../src/core/store-ports.js';
import { createMemoryStore } from '../../../../src/store/memory/memory-store.js';

/** Timers run by hand: `tick()` runs whatever is due. */
function manualTimers() {
  const pending = new Map<number, { at: number; fn: () => void }>();
  let id = 0;
  let clock = 0;
  return {
    now: () => clock,
    setTimeout(fn: () => void, ms: number): unknown {
      pending.set(++id, { at: clock + ms, fn });
      return id;
    },
    clearTimeout(handle: unknown): void {
      pending.delete(handle as number);
    },
    get pending() {
      return pending.size;
    },
    async advance(ms: number): Promise<void> {
      clock += ms;
      for (const [key, timer] of [...pending]) {
        if (timer.at > clock) continue;
        pending.delete(key);
        timer.fn();
      }
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
  };
}

function replica(leases: LeaseStore, timers: ReturnType<typeof manualTimers>) {
  const events: string[] = [];
  const tenure = createStreamTenure({
    leases,
    key: 'dingtalk:stream:app',
    timing: leaseTiming(3_000),
    timers,
    now: timers.now,
    logger: silentLogger,
    hold: async () => void events.push('hold'),
    drop: async () => void events.push('drop'),
  });
  return { tenure, events };
}

describe('the Stream lease', () => {
  it('one replica holds, the other stands by and takes over when the holder stops renewing', async () => {
    const timers = manualTimers();
    const store = createMemoryStore(timers.now);
    let frozen = false;
    // The holder's process hangs (or died): its renewals never come back.
    const hanging: LeaseStore = {
      ...store.leases,
      renew: (key, token, ttl) =>
        frozen ? new Promise<boolean>(() => undefined) : store.leases.renew(key, token, ttl),
    };
    const a = replica(hanging, timers);
    const b = replica(store.leases, timers);
    await a.tenure.start();
    await b.tenure.start();
    expect(a.tenure.holding()).toBe(true);
    expect(b.tenure.holding()).toBe(false);
    for (let i = 0; i < 6; i++) await timers.advance(1_000);
    expect(b.events).toEqual([]);
    frozen = true;
    for (let i = 0; i < 8 && !b.tenure.holding(); i++) await timers.advance(1_000);
    expect(b.tenure.holding()).toBe(true);
    expect(b.events).toEqual(['hold']);
    await a.tenure.stop();
    await b.tenure.stop();
  });

  it('a holder whose renewal is refused drops the connection and stands by; stop() leaves no timer', async () => {
    const timers = manualTimers();
    const store = createMemoryStore(timers.now);
    let refuse = false;
    const leases: LeaseStore = {
      ...store.leases,
      renew: async (key, token, ttl) => (refuse ? false : store.leases.renew(key, token, ttl)),
    };
    const a = replica(leases, timers);
    await a.tenure.start();
    refuse = true;
    await timers.advance(1_000);
    expect(a.events).toEqual(['hold', 'drop']);
    expect(a.tenure.holding()).toBe(false);
    await a.tenure.stop();
    expect(timers.pending).toBe(0);
  });

  it('a store that does not answer keeps the connection only while the lease could still be alive', async () => {
    const timers = manualTimers();
    const store = createMemoryStore(timers.now);
    let down = false;
    const leases: LeaseStore = {
      ...store.leases,
      acquire: async (key, ttl) => {
        if (down) throw new Error('ECONNREFUSED');
        return store.leases.acquire(key, ttl);
      },
      renew: async (key, token, ttl) => {
        if (down) throw new Error('ECONNREFUSED');
        return store.leases.renew(key, token, ttl);
      },
    };
    const a = replica(leases, timers);
    await a.tenure.start();
    down = true;
    await timers.advance(1_000);
    expect(a.events).toEqual(['hold']);
    for (let i = 0; i < 6; i++) await timers.advance(500);
    expect(a.events).toEqual(['hold', 'drop']);
    await a.tenure.stop();
  });
});
