import type { Handler } from './context.js';
import { decideReview } from './review-decide.js';

/** `reject <target> [--step S] [reason]`: CodeArts refuse / Yunxiao RefusePipelineValidate. */
export const reviewReject: Handler<'review.reject'> = (command, ctx) =>
  decideReview(ctx, {
    target: command.target,
    decision: 'reject',
    ...(command.step ? { step: command.step } : {}),
    ...(command.reason ? { note: command.reason } : {}),
  });
