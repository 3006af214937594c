import { describe, expect, it } from 'vitest';
import type { ApprovalService } from '../../../src/core/approvals/service.js';
import { createRunWatcher } from '../../../src/core/approvals/watcher.js';
import { silentLogger, type Providers, type Timers } from '../../../src/core/ports.js';

/** The run watcher waits only through its injected timers: the test runs each tick itself, no real time passes. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(++next, { fn, ms });
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  /** Runs the one pending timer and lets its async work settle. */
  const fire = async () => {
    const [id, timer] = [...pending.entries()][0] ?? [];
    if (id === undefined || !timer) throw new Error('no timer pending');
    pending.delete(id);
    timer.fn();
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return { timers, pending, fire };
}

describe('run watcher timers', () => {
  it('polls on its timers, opens the approval when a review waits, and stops leaving no timer', async () => {
    const { timers, pending, fire } = manualTimers();
    let waiting = false;
    const opened: unknown[] = [];
    const providers = {
      pipelines: {
        yunxiao: {
          getRun: async () => ({
            finished: false,
            reviews: waiting ? [{ status: 'waiting' }] : [],
          }),
        },
      },
    } as unknown as Providers;
    const approvals = { openForRun: async (input: unknown) => void opened.push(input) } as unknown as ApprovalService;
    const watcher = createRunWatcher({ providers, approvals, now: () => 0, logger: silentLogger, timers });
    const ctx = { origin: { platform: 'slack', channel: 'C1' }, subject: 'slack:U1', context: [] };
    const ref = { cloud: 'yunxiao', organizationId: 'org', pipelineId: '1', runId: '2' };
    await watcher.handler({ op: 'approval.watch', target: ref } as never, ctx as never);
    expect([...pending.values()].map((t) => t.ms)).toEqual([0]);
    await fire();
    expect(opened).toHaveLength(0);
    expect([...pending.values()].map((t) => t.ms)).toEqual([15_000]);
    waiting = true;
    await fire();
    expect(opened).toHaveLength(1);
    watcher.stop();
    expect(pending.size).toBe(0);
    expect(watcher.active()).toBe(0);
  });
});
