import { type Handler, pipelineFor } from './context.js';

/** `pending <target>`: reads the run and lists its manual reviews (waiting ones first). */
export const reviewPending: Handler<'review.pending'> = async (command, ctx) => {
  const run = await pipelineFor(ctx, command.target.cloud).getRun(command.target);
  const order = { waiting: 0, approved: 1, rejected: 1, other: 2 } as const;
  const reviews = [...run.reviews].sort((a, b) => order[a.status] - order[b.status]);
  return { kind: 'pending', run: { ...run, reviews } };
};
