import type { AuditRecord, Clock, Logger, Providers } from './ports.js';
import type { AuditStore } from './store-ports.js';
import { type RunRef, validateRunRef } from './targets.js';

/**
 * Settles audit intents that have no outcome (the process died between intent and outcome). Decisions are settled
 * by reading the run: the review shows the decision (done) or still waits (not done). Other operations cannot be
 * read back and are recorded as unknown, so the gap is visible rather than silently closed.
 */
export async function settleAudit(deps: {
  audit: AuditStore;
  providers: Providers;
  now: Clock;
  logger: Logger;
}): Promise<{ settled: number; unknown: number; decisions: SettledDecision[]; notApplied: SettledDecision[] }> {
  let settled = 0;
  let unknown = 0;
  const decisions: SettledDecision[] = [];
  // Decisions that never reached the cloud (the gate still waits): their approvals get their buttons back.
  const notApplied: SettledDecision[] = [];
  for (const intent of await deps.audit.unsettled()) {
    const record = await settleOne(deps.providers, intent);
    await deps.audit.write({ ...record, at: deps.now() });
    if (record.code === 'OUTCOME.UNKNOWN') unknown++;
    else settled++;
    if (intent.operation === 'review.approve' || intent.operation === 'review.reject') {
      const decision: SettledDecision = {
        reviewKey: intent.target,
        by: intent.subject,
        decision: intent.operation === 'review.approve' ? 'approve' : 'reject',
        ...(intent.detail ? { note: intent.detail } : {}),
      };
      if (record.ok) decisions.push(decision);
      else if (record.detail === STILL_WAITING) notApplied.push(decision);
    }
  }
  if (settled + unknown > 0) deps.logger.warn({ settled, unknown }, 'settled audit intents left by a crash');
  return { settled, unknown, decisions, notApplied };
}

const STILL_WAITING = 'settled on restart: review still waiting, decision not applied';

/** A decision the crashed process made: its approval can be closed as decided by that person, not "elsewhere". */
export interface SettledDecision {
  /** `runKey/reviewId`, as approvals index their review. */
  reviewKey: string;
  by: string;
  decision: 'approve' | 'reject';
  note?: string;
}

async function settleOne(providers: Providers, intent: AuditRecord): Promise<AuditRecord> {
  const base: AuditRecord = { ...intent, phase: 'outcome' };
  const unknown = (why: string): AuditRecord => ({
    ...base,
    ok: false,
    code: 'OUTCOME.UNKNOWN',
    detail: `settled on restart: ${why}`,
  });
  const decision =
    intent.operation === 'review.approve' ? 'approved' : intent.operation === 'review.reject' ? 'rejected' : undefined;
  if (!decision) return unknown('this operation cannot be read back');
  const parsed = parseTarget(intent.target);
  if (!parsed) return unknown('target not understood');
  const provider = providers.pipelines[parsed.ref.cloud];
  if (!provider) return unknown(`${parsed.ref.cloud} is not configured`);
  try {
    const run = await provider.getRun(parsed.ref);
    const status = run.reviews.find((r) => r.id === parsed.reviewId)?.status;
    if (status === decision) return { ...base, ok: true, detail: `settled on restart: review is ${status}` };
    if (status === 'waiting') {
      return {
        ...base,
        ok: false,
        code: 'OUTCOME.UNKNOWN',
        detail: STILL_WAITING,
      };
    }
    return unknown(`review is ${status ?? 'gone'}`);
  } catch {
    return unknown('the run could not be read');
  }
}

/** Audit targets of decisions are `runKey/reviewId` (see review-decide.ts). */
function parseTarget(target: string): { ref: RunRef; reviewId: string } | undefined {
  const parts = target.split('/');
  if (parts.length !== 5) return undefined;
  const [cloud, a, b, c, reviewId] = parts as [string, string, string, string, string];
  try {
    if (cloud === 'huawei') {
      return { ref: validateRunRef({ cloud, projectId: a, pipelineId: b, runId: c }), reviewId };
    }
    if (cloud === 'yunxiao') {
      const ref: RunRef = { cloud, pipelineId: b, runId: c, ...(a !== '-' ? { organizationId: a } : {}) };
      return { ref: validateRunRef(ref), reviewId };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
