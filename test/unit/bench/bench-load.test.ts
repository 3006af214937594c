import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { numberListArg } from '../../../bench/lib/args.js';
import { levelsLine, summarizeLog } from '../../../bench/lib/bot-log.js';
import { burst } from '../../../bench/lib/burst.js';
import { pollUntil } from '../../../bench/lib/ipc.js';
import { openLoop } from '../../../bench/lib/open-loop.js';
import { freePort, getStatus, waitFor200 } from '../../../bench/lib/readiness.js';
import { tapPush, tapSet } from '../../../bench/lib/taps.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

describe('bench/lib load helpers', () => {
  it('numberListArg parses comma lists and rejects bad ones', () => {
    expect(numberListArg(['--concurrency=50,200'], 'concurrency', [1])).toEqual([50, 200]);
    expect(numberListArg([], 'concurrency', [64])).toEqual([64]);
    expect(() => numberListArg(['--concurrency=50,x'], 'concurrency', [1])).toThrow(/--concurrency/);
    expect(() => numberListArg(['--concurrency=0'], 'concurrency', [1])).toThrow(/--concurrency/);
  });

  it('openLoop fires rate × seconds arrivals on a fixed schedule, without waiting for earlier ones', async () => {
    const fired: Array<[number, number]> = [];
    let unfinished = 0;
    const result = await openLoop({ rate: 1000, seconds: 0.02 }, (i, at) => {
      fired.push([i, at]);
      unfinished++; // never completed: the loop must not wait for it
    });
    expect(result.sent).toBe(20);
    expect(unfinished).toBe(20);
    expect(fired.map(([i]) => i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const first = fired[0]?.[1] ?? 0;
    fired.forEach(([i, at]) => expect(at - first).toBeCloseTo(i, 6)); // 1 ms apart, by schedule
    expect(result.lagMaxMs).toBeGreaterThanOrEqual(0);
    expect((await openLoop({ rate: 1000, seconds: 1, maxCount: 3 }, () => {})).sent).toBe(3);
  });

  it('burst starts every call before any finishes and times each one', async () => {
    let started = 0;
    const seenAtStart: number[] = [];
    const r = await burst(5, async (i) => {
      started++;
      await new Promise((resolve) => setImmediate(resolve));
      seenAtStart.push(started);
      if (i === 3) throw new Error('boom');
    });
    expect(seenAtStart).toEqual([5, 5, 5, 5, 5]);
    expect(r.latencies).toHaveLength(5);
    expect(r.errors).toBe(1);
    expect(r.firstError).toBe('Error: boom');
  });

  it('tapPush and tapSet report each item with a time, and can be removed', () => {
    const list: number[] = [];
    const seen: number[] = [];
    const untap = tapPush(list, (x, at) => {
      seen.push(x);
      expect(at).toBeGreaterThan(0);
    });
    list.push(1, 2);
    untap();
    list.push(3);
    expect(list).toEqual([1, 2, 3]);
    expect(seen).toEqual([1, 2]);
    const map = new Map<string, number>();
    const keys: string[] = [];
    const unset = tapSet(map, (k) => void keys.push(k));
    map.set('a', 1).set('b', 2);
    unset();
    map.set('c', 3);
    expect([...map.keys()]).toEqual(['a', 'b', 'c']);
    expect(keys).toEqual(['a', 'b']);
  });

  it('summarizeLog counts pino levels and lists warnings and errors', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-log-')), 'bot.log');
    writeFileSync(
      path,
      [
        JSON.stringify({ level: 'info', msg: 'operation done' }),
        JSON.stringify({ level: 'info', msg: 'operation done' }),
        JSON.stringify({ level: 'warn', msg: 'slack ephemeral note failed', code: 'PLATFORM.ERROR' }),
        'not json',
        '',
      ].join('\n'),
    );
    const summary = summarizeLog(path);
    expect(summary.levels).toEqual({ info: 2, warn: 1, unparsed: 1 });
    expect(summary.problems).toEqual(['warn: slack ephemeral note failed (PLATFORM.ERROR)']);
    expect(levelsLine(summary.levels)).toBe('2 info, 1 warn, 1 unparsed');
    expect(summarizeLog(join(tmpdir(), 'no-such-bench-log')).levels).toEqual({});
  });

  it('readiness helpers find a port, read statuses and wait for the first 200', async () => {
    expect(await freePort()).toBeGreaterThan(0);
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      res.writeHead(calls < 3 ? 503 : 200).end();
    });
    expect(await waitFor200(`${url}/readyz`, 1)).toBe(3);
    expect(await getStatus(`http://127.0.0.1:${await freePort()}/`)).toBe(0);
  });

  it('pollUntil resolves once the check holds and names what it waited for on timeout', async () => {
    let n = 0;
    await pollUntil(
      async () => ++n,
      (x) => x >= 3,
      (x) => `${x}`,
      5_000,
      1,
    );
    expect(n).toBe(3);
    await expect(
      pollUntil(
        async () => 0,
        () => false,
        (x) => `three (saw ${x})`,
        0,
        1,
      ),
    ).rejects.toThrow(/three \(saw 0\)/);
  });
});
