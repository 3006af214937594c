import { describe, expect, it } from 'vitest';
import { createAfterAck, type LoopScheduler } from '../../../../src/adapters/slack/after-ack.js';

/** A scheduler the test steps by hand: each step runs what the real loop would run next. */
function manualLoop() {
  const queue: Array<{ kind: 'immediate' | 'later'; fn: () => void }> = [];
  const scheduler: LoopScheduler = {
    immediate: (fn) => void queue.push({ kind: 'immediate', fn }),
    later: (fn) => void queue.push({ kind: 'later', fn }),
  };
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return {
    scheduler,
    pending: () => queue.map((q) => q.kind),
    /** Runs the oldest scheduled callback, then lets released jobs' promise continuations run. */
    async step(): Promise<void> {
      queue.shift()?.fn();
      await flush();
    },
  };
}

function job(afterAck: () => Promise<void>, name: string, log: string[]): Promise<void> {
  return afterAck().then(() => void log.push(name));
}

describe('createAfterAck', () => {
  it('releases nothing in the turn of the ack, then one job per turn once a 1 ms window saw no new ack', async () => {
    const loop = manualLoop();
    const afterAck = createAfterAck({ scheduler: loop.scheduler });
    const log: string[] = [];
    const done = [job(afterAck, 'a', log), job(afterAck, 'b', log), job(afterAck, 'c', log)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([]);
    expect(loop.pending()).toEqual(['immediate']);
    await loop.step(); // acks were seen: hold for a 1 ms window
    expect(log).toEqual([]);
    expect(loop.pending()).toEqual(['later']);
    await loop.step(); // a quiet window: release the first job, the next one on the next turn
    expect(log).toEqual(['a']);
    await loop.step();
    await loop.step();
    expect(log).toEqual(['a', 'b', 'c']);
    expect(loop.pending()).toEqual([]);
    await Promise.all(done);
  });

  it('keeps holding while acks keep coming, but at most maxHoldMs windows in a row', async () => {
    const loop = manualLoop();
    const afterAck = createAfterAck({ scheduler: loop.scheduler, maxHoldMs: 3 });
    const log: string[] = [];
    const done = [job(afterAck, 'first', log)];
    await loop.step(); // immediate: acks seen → hold 1
    for (let i = 0; i < 3; i++) {
      done.push(job(afterAck, `more${i}`, log)); // another request acked during the window
      await loop.step();
    }
    // Three windows full of acks: the cap is reached and the oldest job goes although acks are still arriving.
    expect(log).toEqual(['first']);
    for (let i = 0; i < 20 && loop.pending().length > 0; i++) await loop.step();
    expect(log).toEqual(['first', 'more0', 'more1', 'more2']);
    await Promise.all(done);
  });

  it('a request acked between two jobs pauses the rest for a window; the cap counts until the queue is empty', async () => {
    const loop = manualLoop();
    const afterAck = createAfterAck({ scheduler: loop.scheduler, maxHoldMs: 2 });
    const log: string[] = [];
    const done = [job(afterAck, 'a', log), job(afterAck, 'b', log)];
    await loop.step(); // acks seen: hold (1 of 2)
    await loop.step(); // quiet window: 'a'
    expect(log).toEqual(['a']);
    done.push(job(afterAck, 'c', log)); // a request acked while jobs are being released
    await loop.step();
    expect(log).toEqual(['a']); // paused: hold (2 of 2)
    expect(loop.pending()).toEqual(['later']);
    done.push(job(afterAck, 'd', log));
    await loop.step(); // acks again, but the cap is used up: 'b'
    expect(log).toEqual(['a', 'b']);
    done.push(job(afterAck, 'e', log));
    for (let i = 0; i < 3; i++) await loop.step(); // one per turn, acks or not
    expect(log).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(loop.pending()).toEqual([]);
    // The queue emptied: the next ack is held again.
    done.push(job(afterAck, 'f', log));
    await loop.step();
    expect(loop.pending()).toEqual(['later']);
    await loop.step();
    expect(log).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    await Promise.all(done);
  });

  it('works on the real event loop', async () => {
    const afterAck = createAfterAck();
    const log: string[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => job(afterAck, String(i), log)));
    expect(log).toEqual(['0', '1', '2', '3', '4']);
  });
});
