import { z } from 'zod';
import { OpsError } from '../../core/errors.js';
import type { ManualReview, ReviewStatus, RunEvidence, RunView } from '../../core/ports.js';
import { runUrl, type YunxiaoRunRef } from '../../core/targets.js';

/**
 * Reads a Yunxiao pipeline run (devops GetPipelineRun: `{pipelineRun:{…}}`; openapi-rdc: the run at top level).
 * Shape: aliyun/alibabacloud-devops-mcp-server `operations/flow/types.ts` (`PipelineRunSchema`, `PipelineStageSchema`,
 * `PipelineRunJobSchema`, `PipelineRunActionSchema`), where the official tooling declares every field `.nullable()`.
 * So every field here reads `null` as absent: a `null` never drops a review and never fails the read. A malformed
 * stage, job or action is skipped; a run without a status reads as status UNKNOWN (not finished).
 */

/** The manual checkpoint matcher, in one place: a job waiting for a person carries this action (GetPipelineRun docs). */
export const VALIDATE_ACTION = 'PassPipelineValidate';
export const FINISHED_RUN_STATUSES: ReadonlySet<string> = new Set([
  'SUCCESS',
  'FAIL',
  'FAILED',
  'CANCELED',
  'CANCELLED',
]);
const FINAL_JOB_STATUSES: ReadonlySet<string> = new Set([
  'SUCCESS',
  'FAIL',
  'FAILED',
  'CANCELED',
  'CANCELLED',
  'SKIPPED',
]);
/** `triggerMode` values (types.ts: "1-Manual, 2-Scheduled, 3-Code commit, 5-Pipeline, 6-Webhook"). */
const TRIGGER_MODES: Record<number, string> = {
  1: 'Manual',
  2: 'Scheduled',
  3: 'Code commit',
  5: 'Pipeline',
  6: 'Webhook',
};

function lenientArray<T extends z.ZodType>(item: T) {
  return z
    .array(z.unknown())
    .nullish()
    .transform((items) =>
      (items ?? []).flatMap((value) => {
        const parsed = item.safeParse(value);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    );
}

/** A string field: null, absent and other types read as undefined. */
// `.optional()` last: zod 4 needs an optional output for a key that may be missing.
const str = z
  .unknown()
  .transform((v) => (typeof v === 'string' && v !== '' ? v.slice(0, 256) : undefined))
  .optional();
const num = z
  .unknown()
  .transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined))
  .optional();
const id = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]).transform(String);

const action = z.object({
  type: z.string(),
  disable: z.boolean().nullish(),
  params: z.record(z.string(), z.unknown()).nullish(),
});

const job = z.object({ id, name: str, status: str, startTime: num, actions: lenientArray(action) });

const stage = z.object({
  name: str,
  jobs: lenientArray(job),
  stageInfo: z
    .object({ name: str, jobs: lenientArray(job) })
    .nullish()
    .catch(undefined),
});

const source = z.object({
  name: str,
  data: z.object({ repo: str, branch: str }).nullish().catch(undefined),
});

const run = z.object({
  status: str,
  name: str,
  triggerMode: num,
  creator: str,
  createTime: num,
  stages: lenientArray(stage),
  sources: lenientArray(source),
});

type Job = z.output<typeof job>;

function approvers(found: z.output<typeof action>): string[] | undefined {
  const validators = found.params?.validators;
  if (!Array.isArray(validators)) return undefined;
  const ids = validators.filter((v): v is string => typeof v === 'string' && v !== '').slice(0, 50);
  return ids.length > 0 ? ids : undefined;
}

/** Review status of a job that has the validate action. */
export function reviewStatus(jobStatus: string | undefined, actionDisabled: boolean): ReviewStatus {
  const status = (jobStatus ?? '').toUpperCase();
  if (!actionDisabled && !FINAL_JOB_STATUSES.has(status)) return 'waiting';
  if (status === 'SUCCESS') return 'approved';
  if (status === 'FAIL' || status === 'FAILED') return 'rejected';
  return 'other';
}

function toReview(j: Job, stageName: string | undefined): ManualReview | undefined {
  const found = j.actions.find((a) => a.type === VALIDATE_ACTION);
  if (!found) return undefined;
  const review: ManualReview = {
    id: j.id,
    jobId: j.id,
    kind: 'review',
    name: j.name ?? j.id,
    status: reviewStatus(j.status, found.disable === true),
  };
  if (stageName !== undefined) review.stage = stageName;
  if (j.status !== undefined) review.rawStatus = j.status;
  if (j.startTime !== undefined) review.since = j.startTime;
  const who = approvers(found);
  if (who) {
    review.approvers = who;
    review.settings = { approvers: who };
  }
  return review;
}

/**
 * @example
 * const view = parseYunxiaoRun(res.json, ref, 'yunxiao.devops.getRun');
 * view.reviews.filter((r) => r.status === 'waiting');
 */
export function parseYunxiaoRun(body: unknown, ref: YunxiaoRunRef, label: string): RunView {
  const wrapped =
    typeof body === 'object' && body !== null && 'pipelineRun' in body
      ? (body as { pipelineRun: unknown }).pipelineRun
      : body;
  if (typeof wrapped !== 'object' || wrapped === null || Array.isArray(wrapped)) {
    throw new OpsError('PROVIDER.BAD_RESPONSE', `${label}: the answer is not a run`, { provider: 'yunxiao', label });
  }
  const parsed = run.safeParse(wrapped);
  const data: Partial<z.output<typeof run>> = parsed.success ? parsed.data : {};
  const reviews: ManualReview[] = [];
  for (const s of data.stages ?? []) {
    const stageName = s.name ?? s.stageInfo?.name;
    for (const j of [...s.jobs, ...(s.stageInfo?.jobs ?? [])]) {
      const review = toReview(j, stageName);
      if (review) reviews.push(review);
    }
  }
  const status = data.status ?? 'UNKNOWN';
  const view: RunView = { ref, status, finished: FINISHED_RUN_STATUSES.has(status.toUpperCase()), reviews };
  if (data.name !== undefined) view.name = data.name;
  view.evidence = evidenceOf(data, ref);
  return view;
}

function evidenceOf(data: Partial<z.output<typeof run>>, ref: YunxiaoRunRef): RunEvidence {
  const evidence: RunEvidence = { url: runUrl(ref) };
  const trigger = data.triggerMode === undefined ? undefined : TRIGGER_MODES[data.triggerMode];
  if (trigger) evidence.trigger = trigger;
  if (data.creator) evidence.triggeredBy = data.creator;
  if (data.createTime !== undefined) evidence.startedAt = data.createTime;
  const src = data.sources?.find((s) => s.data?.repo || s.data?.branch);
  if (src?.data?.repo) evidence.repository = src.data.repo;
  if (src?.data?.branch) evidence.branch = src.data.branch;
  return evidence;
}
