import type { Handler } from '../operations/context.js';
import type { Clock } from '../ports.js';
import type { Approval, ApprovalStore } from '../store-ports.js';
import type { DecisionGate } from './gate.js';

export interface InboxDeps {
  store: { approvals: ApprovalStore };
  now: Clock;
  /** The core's decision gate (gate.ts): the same check a click or a typed decision meets. */
  gate: Pick<DecisionGate, 'check'>;
}

export interface InboxOptions {
  /** At most this many approvals (default 20, at most 100). */
  limit?: number;
}

/** Open approvals read per inbox query: bounds the work of one query whatever the backlog. */
const SCAN_LIMIT = 500;

/**
 * Whether this person, here, may decide the approval: the core's decision gate (policy and scope, self-approval,
 * the gate's own approvers, closed or expired) says yes to approving or to rejecting it, so the inbox never lists
 * what a click would refuse.
 */
export function mayDecide(deps: Pick<InboxDeps, 'gate'>, approval: Approval, subject: string, context: string[]) {
  const actor = { subject, context, path: 'button' as const };
  return (['approve', 'reject'] as const).some((decision) => !deps.gate.check(approval, actor, decision));
}

/**
 * `approvals.inbox(subject, context)`: the open, unexpired approvals this person may decide here, newest first.
 * @example
 * const mine = await core.approvals.inbox('slack:U123', ['slack-channel:C456']);
 */
export async function listInbox(
  deps: InboxDeps,
  subject: string,
  context: string[] = [],
  options: InboxOptions = {},
): Promise<Approval[]> {
  const limit = Math.max(1, Math.min(options.limit ?? 20, 100));
  const at = deps.now();
  const open = await deps.store.approvals.listOpen(SCAN_LIMIT);
  return open
    .filter((a) => a.status === 'open' && a.expiresAt > at && mayDecide(deps, a, subject, context))
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, limit);
}

/** The `inbox` operation for the core (registered through CoreDeps.extraHandlers where a store exists). */
export function createInboxHandler(inbox: (subject: string, context: string[]) => Promise<Approval[]>) {
  const handler: Handler<'inbox'> = async (_command, ctx) => ({
    kind: 'inbox',
    approvals: await inbox(ctx.subject, ctx.context),
  });
  return handler;
}
