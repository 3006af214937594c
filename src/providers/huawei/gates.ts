import type { GateKind, GateSettings, ReviewStatus } from '../../core/ports.js';

/**
 * The one place that decides which CodeArts step is a human gate, of which kind, and what its status means.
 * Sources (docs/cloud-sources.md):
 * - manual review: step task `official_devcloud_checkpoint` in `stages[].jobs[].steps[]` (terraform-provider-huaweicloud
 *   `huaweicloud/services/acceptance/codeartspipeline/resource_huaweicloud_codearts_pipeline_test.go`);
 * - delayed execution: step task `official_devcloud_delay` (same provider, `docs/resources/codearts_pipeline_action.md`,
 *   actions `delay-pass`, `delay-refuse`, `delay`);
 * - stage-entry manual check point: a step in `stages[].pre[]` (SDK `StageRun.pre`, "阶段准入"), decided at
 *   `…/steps/{pre_step_run_id}/manual/pass|refuse`. UNSETTLED: no official source names the task of a manual entry
 *   pre step. The official test fixture shows the automatic entry `official_devcloud_autoTrigger`; only a third-party
 *   tool names the manual one `official_devcloud_manualTrigger`. So that is the default, it is configurable
 *   (HUAWEI_STAGE_CHECK_TASKS), and `opsgate doctor` names every unfinished pre/post step that matched nothing.
 * Every list is configurable (HUAWEI_MANUAL_REVIEW_TASKS, HUAWEI_DELAY_TASKS, HUAWEI_STAGE_CHECK_TASKS).
 */
export const DEFAULT_MANUAL_REVIEW_TASKS: readonly string[] = ['official_devcloud_checkpoint'];
export const DEFAULT_DELAY_TASKS: readonly string[] = ['official_devcloud_delay'];
export const DEFAULT_STAGE_CHECK_TASKS: readonly string[] = ['official_devcloud_manualTrigger'];

/**
 * StepRun statuses (SDK `model_step_run.go`): RUNNING, CANCELED, COMPLETED, FAILED. A gate step waits while RUNNING;
 * any status other than the three terminal ones reads as waiting and the cloud's answer to the decision is the arbiter.
 * Exception: the StageRun enum (`model_stage_run.go`) also has INIT, QUEUED, SKIPPED, IGNORED and UNSELECTED, which say
 * the step has not started or will not run; a gate in one of those is not waiting (nobody can decide it yet).
 */
const APPROVED = new Set(['COMPLETED']);
const REJECTED = new Set(['FAILED']);
const NOT_WAITING = new Set(['CANCELED', 'INIT', 'QUEUED', 'SKIPPED', 'IGNORED', 'UNSELECTED']);
/** Run statuses (SDK `ShowPipelineRunDetailResponse.status`) after which nothing can wait any more. */
const FINISHED_RUN = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

/** Words that make a step look like a gate to `doctor` when it matched no configured task. */
const GATE_WORDS = /checkpoint|manual|review|delay|approv|审核|审批|延时|人工/i;

export interface StepLike {
  task?: string | null;
  name?: string | null;
  status?: string | null;
}

export type StepPlace = 'job' | 'pre' | 'post';

export interface GateTasks {
  review: readonly string[];
  delay: readonly string[];
  stageCheck: readonly string[];
}

/** Unit of the checkpoint's `timeout` input (see `readGateSettings`). */
export type TimeoutUnit = 'minutes' | 'hours' | 'seconds';

export interface GateMatcher {
  readonly tasks: GateTasks;
  /** The gate kind of a step, or undefined when it is not a gate. Review and delay gates live in jobs; check points in pre/post. */
  kindOf(step: StepLike, place: StepPlace): GateKind | undefined;
  status(rawStatus: string | undefined | null): ReviewStatus;
  /** For doctor: a step that is not a gate but whose name or task reads like one. */
  looksLikeGate(step: StepLike): boolean;
}

/**
 * @example
 * const m = createGateMatcher({ review: ['official_devcloud_checkpoint'] });
 * m.kindOf(step, 'job') === 'review' && m.status(step.status) === 'waiting';
 */
export function createGateMatcher(tasks: Partial<GateTasks> = {}): GateMatcher {
  const all: GateTasks = {
    review: tasks.review ?? DEFAULT_MANUAL_REVIEW_TASKS,
    delay: tasks.delay ?? DEFAULT_DELAY_TASKS,
    stageCheck: tasks.stageCheck ?? DEFAULT_STAGE_CHECK_TASKS,
  };
  const lower = (list: readonly string[]) => new Set(list.map((t) => t.toLowerCase()));
  const review = lower(all.review);
  const delay = lower(all.delay);
  const stageCheck = lower(all.stageCheck);
  return {
    tasks: all,
    kindOf(step, place) {
      const task = typeof step.task === 'string' ? step.task.toLowerCase() : undefined;
      if (task === undefined) return undefined;
      if (place !== 'job') return stageCheck.has(task) ? 'stage-check' : undefined;
      if (review.has(task)) return 'review';
      if (delay.has(task)) return 'delay';
      return undefined;
    },
    status(rawStatus) {
      const s = (rawStatus ?? '').toUpperCase();
      if (APPROVED.has(s)) return 'approved';
      if (REJECTED.has(s)) return 'rejected';
      if (NOT_WAITING.has(s)) return 'other';
      return 'waiting';
    },
    looksLikeGate(step) {
      return GATE_WORDS.test(`${step.task ?? ''} ${step.name ?? ''}`);
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

const UNIT_MINUTES: Record<TimeoutUnit, number> = { seconds: 1 / 60, minutes: 1, hours: 60 };

/**
 * A checkpoint's settings from its step `inputs` (`[{key, value}]`, SDK `StepRunInputs`; keys from the terraform
 * acceptance test: audit_source, approvers, audit_role, check_strategy, timeout_strategy, timeout, comment).
 * UNSETTLED: the unit of `timeout`. The user guide (usermanual-pipeline/pipeline_01_0090.html) caps the review at three
 * days and shows `timeout: 300`; the terraform test sends 3600. Neither fits hours, so the unit is configurable
 * (HUAWEI_REVIEW_TIMEOUT_UNIT, default minutes).
 * @example
 * readGateSettings([{ key: 'check_strategy', value: 'any' }], 'minutes'); // { strategy: 'any' }
 */
export function readGateSettings(inputs: unknown, unit: TimeoutUnit = 'minutes'): GateSettings | undefined {
  if (!Array.isArray(inputs)) return undefined;
  const values = new Map<string, unknown>();
  for (const input of inputs.slice(0, 100)) {
    if (typeof input === 'object' && input !== null && typeof (input as { key?: unknown }).key === 'string') {
      values.set((input as { key: string }).key, (input as { value?: unknown }).value);
    }
  }
  const out: GateSettings = {};
  const approvers = idList(values.get('approvers'));
  if (approvers) out.approvers = approvers;
  const roles = idList(values.get('audit_role'));
  if (roles) out.roles = roles;
  const strategy = text(values.get('check_strategy'))?.toLowerCase();
  if (strategy === 'all' || strategy === 'any') out.strategy = strategy;
  const source = text(values.get('audit_source'));
  if (source) out.source = source;
  const onTimeout = text(values.get('timeout_strategy'));
  if (onTimeout) out.onTimeout = onTimeout;
  const timeout = Number(values.get('timeout'));
  if (values.get('timeout') !== '' && Number.isFinite(timeout) && timeout > 0 && timeout < 1e7) {
    out.timeoutMinutes = Math.round(timeout * UNIT_MINUTES[unit] * 100) / 100;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 128) : undefined;
}

/** `approvers` is one string of user ids (comma- or semicolon-separated) or an array of them. */
function idList(value: unknown): string[] | undefined {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;]/) : [];
  const ids = raw
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter((v) => /^[A-Za-z0-9_.@-]{1,128}$/.test(v));
  return ids.length > 0 ? ids.slice(0, 50) : undefined;
}
