import type { Gauge } from 'prom-client';

/**
 * Counts work in flight so SIGTERM can stop taking new work and wait for the rest up to a deadline.
 * @example
 * const out = await inflight.track(core.execute(req));
 */
export function createInflight(gauge?: Gauge) {
  let count = 0;
  let accepting = true;
  let idle: Array<() => void> = [];
  return {
    get count() {
      return count;
    },
    get accepting() {
      return accepting;
    },
    track<T>(work: Promise<T>): Promise<T> {
      count++;
      gauge?.inc();
      return work.finally(() => {
        count--;
        gauge?.dec();
        if (count === 0) {
          for (const resolve of idle) resolve();
          idle = [];
        }
      });
    },
    /** Stops accepting and resolves when nothing is in flight or the deadline passes (true when drained). */
    drain(deadlineMs: number): Promise<boolean> {
      accepting = false;
      if (count === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), deadlineMs);
        idle.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

export type Inflight = ReturnType<typeof createInflight>;
