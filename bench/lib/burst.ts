import { performance } from 'node:perf_hooks';

export interface BurstResult {
  /** Latency of each call, in ms, in completion order. */
  latencies: number[];
  errors: number;
  firstError?: string;
}

/**
 * Starts `size` calls in the same tick (a burst: that many requests arrive together) and times each one from the
 * burst's start to its own completion.
 * @example
 * const { latencies } = await burst(200, (i) => poster.post(requests[i]));
 */
export async function burst(size: number, fn: (i: number) => Promise<unknown>): Promise<BurstResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: size }, async (_, i) => {
      try {
        await fn(i);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      latencies.push(performance.now() - start);
    }),
  );
  return { latencies, errors, ...(firstError !== undefined ? { firstError } : {}) };
}
