/**
 * Holds back the work a listener does after `ack()` while requests are still arriving.
 *
 * Without it, that work runs as one promise chain right after each ack, before Node reads the next request, and its
 * replies (Slack API, cloud) are handled between the requests of a burst: in a burst of clicks the last ack waits
 * for the others' work (Slack allows 3 s per request, and then shows the user an error). Here a job starts only
 * after a 1 ms window in which no other request was acknowledged, one job per event-loop turn; after `maxHoldMs`
 * windows that all saw acks (sustained load), jobs are released one per turn regardless, so none waits forever.
 * @example
 * const afterAck = createAfterAck();
 * app.action('x', async ({ ack }) => { await ack(); await afterAck(); await slowWork(); });
 */
export function createAfterAck(options: { maxHoldMs?: number } = {}): () => Promise<void> {
  const maxHold = process.env.EXP_HOLD ? Number(process.env.EXP_HOLD) : (options.maxHoldMs ?? 25);
  const waiting: Array<() => void> = [];
  let acks = 0;
  let held = 0;
  let scheduled = false;

  const check = () => {
    scheduled = false;
    if (waiting.length === 0) return;
    if (maxHold > 0 && acks > 0 && held < maxHold) {
      // Acks since the last look: more requests are coming in. Look again in 1 ms (the loop sleeps in its poll
      // phase meanwhile, reading sockets, instead of spinning).
      acks = 0;
      held++;
      scheduled = true;
      setTimeout(check, 1);
      return;
    }
    if (acks === 0) held = 0;
    acks = 0;
    waiting.shift()?.();
    if (waiting.length > 0) {
      scheduled = true;
      setImmediate(check);
    }
  };

  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      acks++;
      if (!scheduled) {
        scheduled = true;
        setImmediate(check);
      }
    });
}
