import { z } from 'zod';
import type {
  InspectedStage,
  InspectedStep,
  ManualReview,
  RunEvidence,
  RunInspection,
  RunView,
} from '../../core/ports.js';
import { type HuaweiRunRef, runUrl } from '../../core/targets.js';
import { truncate } from './errors.js';
import { type GateMatcher, isFinishedRunStatus, readGateSettings, type StepPlace, type TimeoutUnit } from './gates.js';

/**
 * The run detail (`GET …/pipeline-runs/detail`), after huaweicloud/huaweicloud-sdk-go-v3
 * `services/codeartspipeline/v2/model/model_show_pipeline_run_detail_response.go` (run), `model_stage_run.go`
 * (stage: `pre`, `post`, `jobs`), `model_job_run.go`, `model_step_run.go` (step: `task`, `inputs`, `status`,
 * `start_time`), `model_run_pipeline_source.go` + `model_run_pipeline_source_params(_build_params).go` (sources).
 * Every SDK field is an optional pointer, so every field here may be absent or null; a malformed element is skipped.
 */
// `.optional()` last: zod 4 needs an optional output for a key that may be missing.
const text = z
  .unknown()
  .transform((v) => (typeof v === 'string' && v !== '' ? v : undefined))
  .optional();
const num = z
  .unknown()
  .transform((v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined))
  .optional();

function lenient<T extends z.ZodType>(item: T) {
  return z
    .unknown()
    .transform((v) => (Array.isArray(v) ? v.slice(0, 500) : []))
    .transform((items) =>
      items.flatMap((value) => {
        const parsed = item.safeParse(value);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    )
    .default([]);
}

const stepSchema = z.object({
  id: text,
  name: text,
  task: text,
  status: text,
  start_time: num,
  inputs: z.unknown().optional(),
});
const jobSchema = z.object({ id: text, name: text, status: text, steps: lenient(stepSchema) });
const stageSchema = z.object({
  name: text,
  status: text,
  pre: lenient(stepSchema),
  post: lenient(stepSchema),
  jobs: lenient(jobSchema),
});
const buildParams = z.object({ commit_id: text, message: text, source_branch: text, target_branch: text, tag: text });
const sourceSchema = z.object({
  params: z
    .object({
      repo_name: text,
      git_url: text,
      default_branch: text,
      build_params: buildParams.nullish().catch(undefined),
    })
    .nullish()
    .catch(undefined),
});
export const runDetailSchema = z.object({
  status: z.string().min(1),
  name: text,
  run_number: z.union([z.number(), z.string()]).nullish(),
  trigger_type: text,
  executor_name: text,
  start_time: num,
  detail_url: text,
  stages: lenient(stageSchema),
  sources: lenient(sourceSchema),
});
export type RunDetail = z.output<typeof runDetailSchema>;
type Step = z.output<typeof stepSchema>;

/** Every gate of a run, in run order: stage entry checks, job gates, stage exit checks. */
export function reviewsOf(run: RunDetail, matcher: GateMatcher, unit: TimeoutUnit): ManualReview[] {
  const reviews: ManualReview[] = [];
  const add = (step: Step, place: StepPlace, stageName: string | undefined, jobId: string, jobName?: string) => {
    const kind = matcher.kindOf(step, place);
    if (!kind || !step.id) return;
    const review: ManualReview = {
      id: step.id,
      jobId,
      kind,
      name: step.name ?? jobName ?? (kind === 'stage-check' ? stageName : undefined) ?? step.id,
      status: matcher.status(step.status),
    };
    if (stageName) review.stage = stageName;
    if (step.status) review.rawStatus = truncate(step.status, 64);
    if (step.start_time) review.since = step.start_time;
    const settings = kind === 'review' ? readGateSettings(step.inputs, unit) : undefined;
    if (settings) review.settings = settings;
    if (settings?.approvers) review.approvers = settings.approvers;
    reviews.push(review);
  };
  for (const stage of run.stages) {
    // A stage check point has no job: its decision path is …/steps/{pre_step_run_id}/manual/pass|refuse.
    for (const step of stage.pre) add(step, 'pre', stage.name, '');
    for (const job of stage.jobs) {
      if (!job.id) continue;
      for (const step of job.steps) add(step, 'job', stage.name, job.id, job.name);
    }
    for (const step of stage.post) add(step, 'post', stage.name, '');
  }
  return reviews;
}

/** Trigger and source of the run from the fields the SDK model has (`trigger_type`, `executor_name`, `sources`). */
export function evidenceOf(run: RunDetail, ref: HuaweiRunRef): RunEvidence {
  const evidence: RunEvidence = { url: run.detail_url?.startsWith('https://') ? run.detail_url : runUrl(ref) };
  if (run.trigger_type) evidence.trigger = run.trigger_type;
  if (run.executor_name) evidence.triggeredBy = run.executor_name;
  if (run.start_time) evidence.startedAt = run.start_time;
  const params = run.sources.find((s) => s.params)?.params;
  if (params) {
    const repository = params.repo_name ?? params.git_url;
    if (repository) evidence.repository = repository;
    const b = params.build_params;
    const branch = b?.target_branch ?? b?.source_branch ?? b?.tag ?? params.default_branch;
    if (branch) evidence.branch = branch;
    if (b?.commit_id) evidence.commitId = b.commit_id;
    if (b?.message) evidence.commitMessage = truncate(b.message, 200);
  }
  return evidence;
}

export function runViewOf(run: RunDetail, ref: HuaweiRunRef, matcher: GateMatcher, unit: TimeoutUnit): RunView {
  const view: RunView = {
    ref,
    status: run.status,
    finished: isFinishedRunStatus(run.status),
    reviews: reviewsOf(run, matcher, unit),
    evidence: evidenceOf(run, ref),
  };
  if (run.name) view.name = run.name;
  const runNumber = Number(run.run_number);
  if (run.run_number != null && Number.isSafeInteger(runNumber)) view.runNumber = runNumber;
  return view;
}

/** The whole tree with each step's classification, for `opsgate doctor`. */
export function inspectionOf(run: RunDetail, ref: HuaweiRunRef, matcher: GateMatcher): RunInspection {
  const inspect = (step: Step, place: StepPlace): InspectedStep => {
    const out: InspectedStep = { id: step.id ?? '-', name: step.name ?? '-', place };
    if (step.task) out.task = step.task;
    if (step.status) out.status = step.status;
    const kind = matcher.kindOf(step, place);
    if (kind) out.gate = { kind, status: matcher.status(step.status) };
    else if (matcher.looksLikeGate(step) || (place !== 'job' && isUnfinishedCheck(step))) out.suspect = true;
    return out;
  };
  const stages: InspectedStage[] = run.stages.map((stage) => ({
    name: stage.name ?? '-',
    ...(stage.status ? { status: stage.status } : {}),
    pre: stage.pre.map((s) => inspect(s, 'pre')),
    post: stage.post.map((s) => inspect(s, 'post')),
    jobs: stage.jobs.map((job) => ({
      id: job.id ?? '-',
      name: job.name ?? '-',
      ...(job.status ? { status: job.status } : {}),
      steps: job.steps.map((s) => inspect(s, 'job')),
    })),
  }));
  const out: RunInspection = {
    ref,
    status: run.status,
    stages,
    matcher: {
      review: [...matcher.tasks.review],
      delay: [...matcher.tasks.delay],
      'stage-check': [...matcher.tasks.stageCheck],
    },
    notes: [
      'stage-check: no official source names the task of a manual stage-entry step; set HUAWEI_STAGE_CHECK_TASKS to the task shown for it above',
      'review timeout: the unit of the checkpoint "timeout" input is not documented; see HUAWEI_REVIEW_TIMEOUT_UNIT',
    ],
  };
  if (run.name) out.name = run.name;
  return out;
}

/** A pre/post step that is still running and is not the automatic entry (`official_devcloud_autoTrigger`). */
function isUnfinishedCheck(step: Step): boolean {
  const status = (step.status ?? '').toUpperCase();
  return status === 'RUNNING' && step.task !== 'official_devcloud_autoTrigger';
}
