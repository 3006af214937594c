import { z } from 'zod';
import { OpsError } from '../../core/errors.js';
import type { ManualReview, ReviewStatus, RunView } from '../../core/ports.js';
import type { YunxiaoRunRef } from '../../core/targets.js';

/**
 * Reads a Yunxiao pipeline run (devops GetPipelineRun: `{pipelineRun:{…}}`; openapi-rdc: the run at top level).
 * Lenient: unknown fields are ignored and a malformed stage, job or action is skipped, not fatal; only the run
 * status is required.
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

function lenientArray<T extends z.ZodType>(item: T) {
  return z
    .array(z.unknown())
    .optional()
    .transform((items) =>
      (items ?? []).flatMap((value) => {
        const parsed = item.safeParse(value);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    );
}

const id = z.union([z.number().int().nonnegative(), z.string().min(1)]).transform(String);

const action = z.object({
  type: z.string(),
  disable: z.boolean().optional(),
  params: z.record(z.string(), z.unknown()).nullish(),
});

const job = z.object({
  id,
  name: z.string().optional(),
  status: z.string().optional(),
  actions: lenientArray(action),
});

const stage = z.object({
  name: z.string().optional(),
  jobs: lenientArray(job),
  stageInfo: z.object({ name: z.string().optional(), jobs: lenientArray(job) }).nullish(),
});

const run = z.object({
  status: z.string().min(1),
  name: z.string().optional(),
  stages: lenientArray(stage),
});

type Job = z.output<typeof job>;

function approvers(found: z.output<typeof action>): string[] | undefined {
  const validators = found.params?.validators;
  return Array.isArray(validators) && validators.every((v) => typeof v === 'string') ? validators : undefined;
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
    name: j.name ?? j.id,
    status: reviewStatus(j.status, found.disable === true),
  };
  if (stageName !== undefined) review.stage = stageName;
  if (j.status !== undefined) review.rawStatus = j.status;
  const who = approvers(found);
  if (who) review.approvers = who;
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
  const parsed = run.safeParse(wrapped);
  if (!parsed.success) {
    throw new OpsError('PROVIDER.BAD_RESPONSE', `${label}: run has no status`, { provider: 'yunxiao', label });
  }
  const reviews: ManualReview[] = [];
  for (const s of parsed.data.stages) {
    const stageName = s.name ?? s.stageInfo?.name;
    for (const j of [...s.jobs, ...(s.stageInfo?.jobs ?? [])]) {
      const review = toReview(j, stageName);
      if (review) reviews.push(review);
    }
  }
  const status = parsed.data.status;
  const view: RunView = { ref, status, finished: FINISHED_RUN_STATUSES.has(status.toUpperCase()), reviews };
  if (parsed.data.name !== undefined) view.name = parsed.data.name;
  return view;
}
