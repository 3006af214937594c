import { type Handler, pipelineFor } from './context.js';

const ORDER = { waiting: 0, approved: 1, rejected: 1, other: 2 } as const;

/**
 * `pending <target>`: reads the run and lists its gates (waiting ones first). From a chat whose platform can hold
 * approvals, it also opens an approval per waiting gate and posts it into that chat (the core routes this; the
 * adapter only renders the outcome).
 */
export const reviewPending: Handler<'review.pending'> = async (command, ctx) => {
  const origin = ctx.origin;
  if (origin && ctx.approvals?.platforms().includes(origin.platform)) {
    const opened = await ctx.approvals.openForRun({
      subject: ctx.subject,
      context: ctx.context,
      ref: command.target,
      channels: { [origin.platform]: [origin.channel] },
      requester: ctx.subject,
      requestId: ctx.requestId,
    });
    if (!opened.outcome.ok) throw opened.outcome.error;
    if (opened.outcome.result.kind !== 'pending') return opened.outcome.result;
    const failed = opened.deliveries.filter((d) => !d.ok);
    if (failed.length > 0 && failed.length === opened.deliveries.length) throw failed[0]!.error;
    const run = opened.outcome.result.run;
    return {
      kind: 'pending',
      run: { ...run, reviews: [...run.reviews].sort((a, b) => ORDER[a.status] - ORDER[b.status]) },
      approvals: {
        posted: opened.deliveries.filter((d) => d.ok && !d.existing).length,
        existing: opened.deliveries.filter((d) => d.ok && d.existing).length,
      },
    };
  }
  const run = await pipelineFor(ctx, command.target.cloud).getRun(command.target);
  const reviews = [...run.reviews].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  return { kind: 'pending', run: { ...run, reviews } };
};
