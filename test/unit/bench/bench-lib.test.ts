import { describe, expect, it } from 'vitest';
import { numberArgs } from '../../../bench/lib/args.js';
import { measure } from '../../../bench/lib/measure.js';
import { median, percentile, summarize } from '../../../bench/lib/stats.js';
import { formatCell, markdownTable } from '../../../bench/lib/table.js';

describe('bench/lib', () => {
  it('computes nearest-rank percentiles and medians', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(summarize([1, 2, 3, 4])).toEqual({ p50: 2, p90: 4, p99: 4, max: 4, mean: 2.5 });
  });

  it('prints markdown tables with right-aligned numeric columns and escaped pipes', () => {
    const table = markdownTable([
      { client: 'ours', rps: 8123.4, note: 'a|b' },
      { client: 'fetch', rps: 0.123456, note: undefined },
    ]);
    expect(table.split('\n')).toEqual([
      '| client | rps | note |',
      '| --- | ---: | --- |',
      '| ours | 8123 | a\\|b |',
      '| fetch | 0.123 |  |',
    ]);
    expect(formatCell(Number.NaN)).toBe('NaN');
    expect(markdownTable([])).toBe('');
  });

  it('parses --name=value options with defaults and rejects bad numbers', () => {
    expect(numberArgs(['--count=20', '--other=1', 'x'], { count: 10, rounds: 3 })).toEqual({ count: 20, rounds: 3 });
    expect(() => numberArgs(['--count=-1'], { count: 10 })).toThrow(/--count/);
  });

  it('measure makes exactly count calls, never more than concurrency at once, and counts errors', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const r = await measure(
      'fake',
      async (i) => {
        seen.push(i);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        if (i % 10 === 0) throw new Error(`boom ${i}`);
      },
      { count: 50, concurrency: 4, maxMs: 60_000 },
    );
    expect(r.count).toBe(50);
    expect(r.errors).toBe(5);
    expect(r.firstError).toBe('Error: boom 0');
    expect(peak).toBe(4);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(r.p50).toBeLessThanOrEqual(r.p99);
  });

  it('measure stops starting calls once maxMs has passed', async () => {
    const r = await measure('none', async () => {}, { count: 1_000, concurrency: 2, maxMs: 0 });
    expect(r.count).toBe(0);
    expect(r.rps).toBe(0);
  });
});
