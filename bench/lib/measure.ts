import { performance } from 'node:perf_hooks';
import { summarize } from './stats.js';

export interface MeasureOptions {
  /** Calls to make (upper bound). */
  count: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Stop starting new calls after this long (upper bound on the run's time). */
  maxMs: number;
}

export interface MeasureResult {
  label: string;
  /** Calls completed (successful or not). */
  count: number;
  errors: number;
  /** Wall time of the whole run. */
  ms: number;
  /** Completed calls per second. */
  rps: number;
  /** Latency of one call, in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  /** CPU time (user + system) this process spent per call, in microseconds. */
  cpuUsPerOp: number;
  /** Message of the first failure, to explain a non-zero `errors`. */
  firstError?: string;
}

/**
 * Runs `fn` `count` times with `concurrency` calls in flight, stopping early after `maxMs`; times every call.
 * @example
 * const r = await measure('ours', (i) => pipeline.decide(ref, review, 'reject'), { count: 10_000, concurrency: 64, maxMs: 60_000 });
 * console.log(r.rps, r.p99);
 */
export async function measure(
  label: string,
  fn: (i: number) => Promise<unknown>,
  options: MeasureOptions,
): Promise<MeasureResult> {
  const { count, concurrency, maxMs } = options;
  const latencies = new Float64Array(count);
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + maxMs;

  async function worker(): Promise<void> {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        await fn(i);
      } catch (err) {
        errors += 1;
        firstError ??= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      latencies[done++] = performance.now() - t0;
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const stats = summarize(latencies.subarray(0, done));
  const result: MeasureResult = {
    label,
    count: done,
    errors,
    ms,
    rps: ms > 0 ? done / (ms / 1000) : 0,
    p50: stats.p50,
    p90: stats.p90,
    p99: stats.p99,
    cpuUsPerOp: done === 0 ? Number.NaN : (cpu.user + cpu.system) / done,
  };
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}
