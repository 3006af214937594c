import type { Handler } from './context.js';
import { decideReview } from './review-decide.js';

/** `postpone <target> [--step S] [comment]`: CodeArts delayed execution `…/delay` (run one hour later). */
export const reviewPostpone: Handler<'review.postpone'> = (command, ctx) =>
  decideReview(ctx, {
    target: command.target,
    decision: 'postpone',
    ...(command.step ? { step: command.step } : {}),
    ...(command.comment ? { note: command.comment } : {}),
  });
