import { OpsError } from '../errors.js';
import type { Decision, GateKind, ManualReview, RunView } from '../ports.js';

/**
 * Picks the review a decision applies to: the IDs in the target, else `--step` (id or name, case-insensitive), else the
 * only waiting one. Several waiting → REVIEW.CHOOSE_STEP listing them; none → REVIEW.NONE_WAITING.
 * A postpone applies only to delay gates, so it picks among the waiting delay gates; postponing another kind of gate
 * is INPUT.BAD_ARGUMENT naming the decisions that gate accepts.
 */
export function selectReview(run: RunView, step?: string, decision?: Decision): ManualReview {
  const choice = pick(run, step, decision);
  if (decision === 'postpone' && (choice.kind ?? 'review') !== 'delay') {
    throw new OpsError(
      'INPUT.BAD_ARGUMENT',
      `postpone applies to delay gates; "${choice.name}" takes approve or reject`,
      {
        field: 'decision',
        expected: ['approve', 'reject'],
        kind: choice.kind ?? 'review',
        usage: 'approve | reject',
      },
    );
  }
  return choice;
}

function pick(run: RunView, step: string | undefined, decision: Decision | undefined): ManualReview {
  const ref = run.ref;
  const pinned = ref.cloud === 'huawei' ? ref.stepRunId : ref.jobId;
  const kindOf = (r: ManualReview): GateKind => r.kind ?? 'review';
  const all = run.reviews.filter((r) => r.status === 'waiting');
  const delays = all.filter((r) => kindOf(r) === 'delay');
  // A postpone with no step picks among the delay gates when there is one; otherwise the usual choice (and its error).
  const waiting = decision === 'postpone' && delays.length > 0 ? delays : all;
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
  return reviews
    .slice(0, 20)
    .map((r) => ({ id: r.id, name: r.name, stage: r.stage ?? '', status: r.status, kind: r.kind ?? 'review' }));
}
