import { performance } from 'node:perf_hooks';

export interface OpenLoopOptions {
  /** Arrivals per second. */
  rate: number;
  /** How long to keep sending. */
  seconds: number;
  /** Upper bound on arrivals, whatever rate × seconds says. */
  maxCount?: number;
}

export interface OpenLoopResult {
  /** Arrivals fired. */
  sent: number;
  /** Wall time from the first scheduled arrival to the last one fired. */
  ms: number;
  /** Worst delay between an arrival's scheduled time and the moment it was fired (the generator's own lag). */
  lagMaxMs: number;
}

/**
 * Open-loop arrivals: arrival i is due at start + i / rate, whether or not earlier ones have finished (no
 * coordinated omission). `fire` gets the index and the scheduled time (performance.now() clock), and must not block:
 * start the request and return. Late arrivals are fired at once, with their original scheduled time.
 * @example
 * await openLoop({ rate: 100, seconds: 10 }, (i, at) => void send(i).then(() => record(performance.now() - at)));
 */
export async function openLoop(
  options: OpenLoopOptions,
  fire: (index: number, scheduledAt: number) => void,
): Promise<OpenLoopResult> {
  const total = Math.min(Math.floor(options.rate * options.seconds), options.maxCount ?? Number.POSITIVE_INFINITY);
  const interval = 1000 / options.rate;
  const start = performance.now();
  let sent = 0;
  let lagMaxMs = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && start + sent * interval <= now) {
      const at = start + sent * interval;
      lagMaxMs = Math.max(lagMaxMs, performance.now() - at);
      fire(sent, at);
      sent++;
    }
    if (sent >= total) break;
    const wait = start + sent * interval - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
  return { sent, ms: total === 0 ? 0 : (total - 1) * interval, lagMaxMs };
}
