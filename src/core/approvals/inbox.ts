import type { Core } from '../core.js';
import type { Handler } from '../operations/context.js';
import type { Clock } from '../ports.js';
import type { Approval, ApprovalStore } from '../store-ports.js';

export interface InboxDeps {
  core: Core;
  store: { approvals: ApprovalStore };
  now: Clock;
}

export interface InboxOptions {
  /** At most this many approvals (default 20). */
  limit?: number;
}

/** Open approvals read per inbox query: bounds the work of one query whatever the backlog. */
const SCAN_LIMIT = 500;

/**
 * Whether this person, here, may decide the approval. The one place the inbox asks it: it calls the core's
 * authorization now and becomes `approvals.check(approval, subject, context, decision)` (the core's decision gate)
 * with a one-line change, so the inbox never lists what a click would refuse.
 */
export function mayDecide(deps: Pick<InboxDeps, 'core'>, approval: Approval, subject: string, context: string[]) {
  const principals = [subject, ...context];
  return ['review.approve', 'review.reject'].some(
    (op) => deps.core.explain(principals, { op: op as 'review.approve', target: approval.ref }).allowed,
  );
}

/**
 * `approvals.inbox(subject, context)`: the open, unexpired approvals this person may decide here, newest first.
 * @example
 * const mine = await listInbox({ core, store, now }, 'slack:U123', ['slack-channel:C456']);
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
