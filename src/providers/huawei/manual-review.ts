import type { ReviewStatus } from '../../core/ports.js';

/**
 * The one place that decides which CodeArts step is a manual review and what its status means. Huawei does not
 * document either (docs/reference/huawei-codearts.md: "unconfirmed: keep the matcher in one place"), so the task list is
 * configurable; statuses follow the lead's wire-shape decisions (docs/reference/real-shapes.md, "Huawei Pipeline").
 */
export const DEFAULT_MANUAL_REVIEW_TASKS: readonly string[] = ['official_devcloud_manualReview'];

const WAITING = new Set(['PAUSED', 'PENDING', 'SUSPEND', 'WAITING']);
const APPROVED = new Set(['COMPLETED']);
const REJECTED = new Set(['FAILED', 'REFUSED', 'REJECTED']);
const FINISHED_RUN = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

export interface StepLike {
  task?: string | null;
  business_type?: string | null;
}

export interface ManualReviewMatcher {
  isManualReview(step: StepLike): boolean;
  reviewStatus(rawStatus: string | undefined | null): ReviewStatus;
}

/**
 * @example
 * const m = createManualReviewMatcher(['official_devcloud_manualReview', 'my_custom_review']);
 * m.isManualReview(step) && m.reviewStatus(step.status) === 'waiting';
 */
export function createManualReviewMatcher(tasks: readonly string[] = DEFAULT_MANUAL_REVIEW_TASKS): ManualReviewMatcher {
  const known = new Set(tasks.map((t) => t.toLowerCase()));
  return {
    isManualReview(step) {
      return typeof step.task === 'string' && known.has(step.task.toLowerCase());
    },
    reviewStatus(rawStatus) {
      const s = (rawStatus ?? '').toUpperCase();
      if (WAITING.has(s)) return 'waiting';
      if (APPROVED.has(s)) return 'approved';
      if (REJECTED.has(s)) return 'rejected';
      return 'other';
    },
  };
}

/**
 * True when a run can no longer wait for anything.
 * @example
 * isFinishedRunStatus('CANCELED'); // true
 */
export function isFinishedRunStatus(rawStatus: string): boolean {
  return FINISHED_RUN.has(rawStatus.toUpperCase());
}
