import type { ClickSpace } from './frames.js';

/** A reject click that came without a reason: the clicker's next robot message is the reason. */
export interface ReasonWait {
  approvalId: string;
  /** The card that was clicked and the space it was clicked in (a group gives its `dingtalk-group:` context). */
  outTrackId: string;
  space: ClickSpace;
  expiresAt: number;
}

/**
 * Who owes a reject reason, per staffId, with a time limit.
 *
 * Kept in memory on purpose: the wait is short and losing it only means the person clicks Reject again. Replicas
 * share one Stream connection (stream-lease.ts), so the reply reaches the replica that saw the click, unless the
 * connection moved to another replica in between; the reply is then taken as a command.
 * @example
 * waits.set('staff1', { approvalId, outTrackId, space, expiresAt: now() + 10 * 60_000 });
 * const wait = waits.take('staff1');
 */
export function createReasonWaits(now: () => number, limit = 10_000) {
  const waits = new Map<string, ReasonWait>();
  return {
    set(staffId: string, wait: ReasonWait): void {
      waits.delete(staffId);
      waits.set(staffId, wait);
      if (waits.size > limit) waits.delete(waits.keys().next().value as string);
    },
    /** Removes and returns the live wait of this person, if any. */
    take(staffId: string): ReasonWait | undefined {
      const wait = waits.get(staffId);
      if (!wait) return undefined;
      waits.delete(staffId);
      return wait.expiresAt > now() ? wait : undefined;
    },
    get size(): number {
      return waits.size;
    },
  };
}

export type ReasonWaits = ReturnType<typeof createReasonWaits>;
