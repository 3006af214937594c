/** The two ways of waiting the gate uses (injectable so tests can step through event-loop turns). */
export interface LoopScheduler {
  /** Runs fn after the poll phase of this loop turn (setImmediate). */
  immediate(fn: () => void): void;
  /** Runs fn after ms; meanwhile the loop sleeps in its poll phase, reading sockets (setTimeout). */
  later(fn: () => void, ms: number): void;
}

const realScheduler: LoopScheduler = {
  immediate: (fn) => void setImmediate(fn),
  later: (fn, ms) => void setTimeout(fn, ms),
};

/**
 * Holds back the work a listener does after `ack()` while requests are still arriving.
 *
 * Without it, that work runs as one promise chain right after each ack, before Node reads the next request, and the
 * replies it waits for (Slack API, cloud) are handled between the requests of a burst: in a burst of clicks the last
 * ack waits for the others' work (Slack allows 3 s per request). Here waiting jobs start one per event-loop turn, and
 * only after a 1 ms window in which no request was acknowledged; a request acked between two jobs pauses them for
 * another window. The pauses add up to at most `maxHoldMs` windows until the queue is empty again, so under a steady
 * stream of requests the jobs still start one per turn and never fall behind the arrivals.
 * @example
 * const afterAck = createAfterAck();
 * app.action('x', async ({ ack }) => { await ack(); await afterAck(); await slowWork(); });
 */
export function createAfterAck(options: { maxHoldMs?: number; scheduler?: LoopScheduler } = {}): () => Promise<void> {
  const maxHold = options.maxHoldMs ?? 25;
  const loop = options.scheduler ?? realScheduler;
  const waiting: Array<() => void> = [];
  let acks = 0;
  let held = 0;
  let scheduled = false;

  const check = () => {
    scheduled = false;
    if (acks > 0 && held < maxHold) {
      // Acks since the last look: more requests are coming in; look again in 1 ms.
      acks = 0;
      held++;
      scheduled = true;
      loop.later(check, 1);
      return;
    }
    acks = 0;
    waiting.shift()?.();
    if (waiting.length === 0) {
      held = 0;
      return;
    }
    scheduled = true;
    // Queued while immediates run, this one waits for the next turn, after the sockets have been read again
    // (https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick#setimmediate-vs-settimeout).
    loop.immediate(check);
  };

  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      acks++;
      if (!scheduled) {
        scheduled = true;
        loop.immediate(check);
      }
    });
}
