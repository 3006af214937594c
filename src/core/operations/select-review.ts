import { OpsError } from '../errors.js';
import type { ManualReview, RunView } from '../ports.js';

/**
 * Picks the review a decision applies to: the IDs in the target, else `--step` (id or name, case-insensitive), else the
 * only waiting one. Several waiting → REVIEW.CHOOSE_STEP listing them; none → REVIEW.NONE_WAITING.
 */
export function selectReview(run: RunView, step?: string): ManualReview {
  const ref = run.ref;
  const pinned = ref.cloud === 'huawei' ? ref.stepRunId : ref.jobId;
  const waiting = run.reviews.filter((r) => r.status === 'waiting');
  if (pinned !== undefined || step !== undefined) {
    const key = (pinned ?? step ?? '').toLowerCase();
    const found = run.reviews.filter((r) => r.id.toLowerCase() === key || r.name.toLowerCase() === key);
    const choice = found.find((r) => r.status === 'waiting') ?? found[0];
    if (!choice) {
      throw new OpsError('REVIEW.STEP_NOT_FOUND', `no manual review "${key.slice(0, 64)}" in this run`, {
        step: key.slice(0, 64),
        reviews: listed(run.reviews),
      });
    }
    return choice;
  }
  if (waiting.length === 1) return waiting[0]!;
  if (waiting.length === 0) {
    throw new OpsError('REVIEW.NONE_WAITING', 'no manual review is waiting in this run', {
      runStatus: run.status,
      finished: run.finished,
    });
  }
  throw new OpsError('REVIEW.CHOOSE_STEP', `${waiting.length} manual reviews are waiting; choose one with --step`, {
    reviews: listed(waiting),
  });
}

function listed(reviews: ManualReview[]): Array<Record<string, string>> {
  return reviews.slice(0, 20).map((r) => ({ id: r.id, name: r.name, stage: r.stage ?? '', status: r.status }));
}
