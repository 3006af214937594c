import type { Approval } from '../store-ports.js';
import { type Locale, t } from './index.js';

/**
 * How a decision reached opsgate, in words, for "Approved by @alice (typed) at 14:02". Buttons and cards are the
 * usual way and say nothing; the other paths are named.
 */
export function decidedVia(locale: Locale, approval: Pick<Approval, 'decision'>): string {
  const path = approval.decision?.path;
  if (!path || path === 'button' || path === 'card' || path === 'modal') return '';
  return t(locale, `approval.via.${path}`);
}

/** What the cloud showed when a gate stopped waiting without an opsgate decision: never a raw internal value. */
export function closedStatus(locale: Locale, approval: Pick<Approval, 'closedBy'>): string {
  const closed = approval.closedBy;
  if (closed?.gateStatus === 'approved' || closed?.gateStatus === 'rejected') {
    return t(locale, `approval.closed.${closed.gateStatus}`);
  }
  if (closed?.runStatus) return t(locale, 'approval.closed.runEnded', { status: closed.runStatus });
  return t(locale, 'approval.closed.notWaiting');
}
