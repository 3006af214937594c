import type { Handler } from '../operations/context.js';
import type { Approval, Store } from '../store-ports.js';
import type { DecisionGate } from './gate.js';

/** At most this many open approvals are looked at for one inbox (newest first). */
const SCAN_LIMIT = 1000;

/**
 * The open approvals a person may decide here, newest first: each passes the core's one gate for approve or reject
 * (policy, scope, self-approval, the gate's own approvers). Approvals are not bound to a message here: the inbox shows
 * its own buttons, and a click on those is bound to the inbox's message by the adapter asking the gate again.
 * @example
 * const mine = await listInbox({ store, gate }, { subject: 'slack:U1', context: [] }, 20);
 */
export async function listInbox(
  deps: { store: Store; gate: DecisionGate },
  who: { subject: string; context: string[] },
  limit = 20,
): Promise<Approval[]> {
  const open = await deps.store.approvals.listOpen(SCAN_LIMIT);
  const actor = { subject: who.subject, context: who.context, path: 'button' as const };
  return open
    .filter((a) => !deps.gate.check(a, actor, 'approve') || !deps.gate.check(a, actor, 'reject'))
    .sort((x, y) => y.createdAt - x.createdAt)
    .slice(0, Math.max(0, limit));
}

/** The `inbox` operation (typed `inbox` / `待审批` in DingTalk, `opsgate exec inbox`): the same list, in words. */
export function createInboxHandler(
  inbox: (who: { subject: string; context: string[] }) => Promise<Approval[]>,
): Handler<'inbox'> {
  return async (_command, ctx) => ({
    kind: 'inbox',
    approvals: await inbox({ subject: ctx.subject, context: ctx.context }),
  });
}
