import type { Handler } from './context.js';
import { decideReview } from './review-decide.js';

/** `approve <target> [--step S] [comment]`: CodeArts pass / Yunxiao PassPipelineValidate. */
export const reviewApprove: Handler<'review.approve'> = (command, ctx) =>
  decideReview(ctx, {
    target: command.target,
    decision: 'approve',
    ...(command.step ? { step: command.step } : {}),
    ...(command.comment ? { note: command.comment } : {}),
  });
