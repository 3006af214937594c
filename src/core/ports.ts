import type { OpsError } from './errors.js';
import type { ProbeCheck, RunInspection } from './inspection.js';
import type { Cloud, RunRef } from './targets.js';

/**
 * Ports: what the core needs from the outside world. Providers (one cloud each), stores and adapters implement them;
 * the core never imports a platform, an HTTP library or the environment.
 */

/** Milliseconds since the epoch. Injected so tests and token caches control time. */
export type Clock = () => number;

/** Structured logger (pino-compatible subset). Callers pass only safe fields; the implementation redacts again. */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

export type ReviewStatus = 'waiting' | 'approved' | 'rejected' | 'other';

/**
 * The kinds of human gate a run can wait at.
 * - `review`: CodeArts manual review (`official_devcloud_checkpoint`) or Yunxiao checkpoint (`PassPipelineValidate`);
 *   decided with approve (pass) / reject (refuse).
 * - `delay`: CodeArts delayed execution (`official_devcloud_delay`); approve = run now (`delay-pass`),
 *   reject = stop (`delay-refuse`), postpone = one hour later (`delay`).
 * - `stage-check`: CodeArts stage-entry manual check point (`stages[].pre[]`); approve/reject at
 *   `…/steps/{pre_step_run_id}/manual/pass|refuse` (no job in the path).
 * Sources: ../docs/cloud-sources.md (terraform-provider-huaweicloud `resource_huaweicloud_codearts_pipeline_action.go`).
 */
export const GATE_KINDS = ['review', 'delay', 'stage-check'] as const;
export type GateKind = (typeof GATE_KINDS)[number];

/** A gate's own settings as the cloud reports them (CodeArts step `inputs`, Yunxiao action `params`). All optional. */
export interface GateSettings {
  /** Cloud user ids that may decide (CodeArts `approvers`, Yunxiao `validators`). */
  approvers?: string[];
  /** `all`: every approver must pass; `any`: one is enough (CodeArts `check_strategy`). */
  strategy?: 'all' | 'any';
  /** Minutes until the gate times out (CodeArts `timeout`, given in hours). */
  timeoutMinutes?: number;
  /** What the cloud does at the timeout (CodeArts `timeout_strategy`): `reject`, `pass`, or the raw value. */
  onTimeout?: string;
  /** CodeArts `audit_source`: `members` or `roles`. */
  source?: string;
  /** CodeArts `audit_role` when the approvers are roles. */
  roles?: string[];
  /** Cloud user ids that already approved (for "2 of 3 approved"), when the cloud says. */
  approvedBy?: string[];
  /** Delay gates: when the delayed step will run by itself (ms since epoch), when the cloud says. */
  runsAt?: number;
}

/** One human gate (CodeArts manual review / delay / stage check point; Yunxiao job with a PassPipelineValidate action). */
export interface ManualReview {
  /** CodeArts: step run id (stage check: the pre step run id). Yunxiao: job id. What `--step` matches besides the name. */
  id: string;
  /** CodeArts: job run id (stage check: empty, no job in its path). Yunxiao: job id (same as id). */
  jobId: string;
  /** Gate kind; absent means `review`. */
  kind?: GateKind;
  name: string;
  stage?: string;
  status: ReviewStatus;
  /** Raw status string from the cloud, for messages and debugging. */
  rawStatus?: string;
  /** Who the cloud says may decide, when it says (same as settings.approvers; kept for older callers). */
  approvers?: string[];
  /** The gate's own settings, from the step `inputs` / action `params`. */
  settings?: GateSettings;
  /** When the gate started waiting (ms since epoch), when the cloud says. */
  since?: number;
}

/** What is shipping, for the approval card; every field optional (clouds send `null` freely). */
export interface RunEvidence {
  /** Who or what started the run (user name, "timer", "webhook"…). */
  triggeredBy?: string;
  /** Trigger type as the cloud names it (Manual, Scheduler, CodeHub…). */
  trigger?: string;
  repository?: string;
  branch?: string;
  commitId?: string;
  commitMessage?: string;
  /** When the run started (ms since epoch). */
  startedAt?: number;
  /** The run in the cloud console. */
  url?: string;
}

export interface RunView {
  ref: RunRef;
  name?: string;
  /** Raw run status from the cloud (RUNNING, COMPLETED, …). */
  status: string;
  /** True when the run is over (nothing can wait any more). */
  finished: boolean;
  runNumber?: number;
  reviews: ManualReview[];
  /** Trigger and source of the run, when the run detail has them. */
  evidence?: RunEvidence;
}

/** approve / reject apply to every gate; postpone only to delay gates (CodeArts `delay`: one hour later). */
export type Decision = 'approve' | 'reject' | 'postpone';

export interface ProviderAck {
  requestId?: string;
}

/**
 * A cloud that holds pipeline runs with manual reviews.
 * @example
 * const run = await pipelines.huawei.getRun(ref);
 * await pipelines.huawei.decide(ref, run.reviews[0], 'reject');
 */
export interface PipelineProvider {
  readonly cloud: Cloud;
  getRun(ref: RunRef): Promise<RunView>;
  /**
   * Sends one decision. Throws OpsError; `PROVIDER.AMBIGUOUS` when the request may have reached the cloud
   * (timeout or reset after sending): the core then reads the run again instead of deciding twice.
   */
  decide(ref: RunRef, review: ManualReview, decision: Decision): Promise<ProviderAck>;
  /** Read-only: every stage, job and step of a run with how this provider classified it (for `opsgate doctor`). */
  inspect?(ref: RunRef): Promise<RunInspection>;
  /** Read-only: checks credentials and endpoints with cheap calls (for `opsgate doctor`). Never throws. */
  probe?(): Promise<ProbeCheck[]>;
}

/** Canonical notice types; providers map them to the spelling their API version expects. */
export const NOTICE_TYPES = ['message', 'email', 'dingtalk', 'wecom', 'feishu'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/**
 * CodeArts Build notice events, as documented: the `enable_map` of ShowJobNoticeConfigInfo's example answer
 * (https://support.huaweicloud.com/api-codeci/ShowJobNoticeConfigInfo.html) and the user guide's "success, failure,
 * disabling, changes, and deletion" (usermanual-codeci/codeci_01_0014.html).
 */
export const BUILD_NOTICE_EVENTS = [
  'buildJobSuccess',
  'buildJobFail',
  'forbiddenJob',
  'updateConfigJob',
  'deleteJob',
] as const;

export interface NoticeUpdate {
  noticeType: NoticeType;
  events: string[];
  paramConfig?: string;
}

/** CodeArts Build notification settings of a build job. */
export interface BuildNoticeProvider {
  disable(jobId: string, noticeType: NoticeType): Promise<ProviderAck>;
  update(jobId: string, update: NoticeUpdate): Promise<ProviderAck>;
  /** The job's notice settings (CodeArts Build ListNotice, `GET /v3/jobs/notice/{job_id}/query`). */
  show?(jobId: string): Promise<BuildNoticeSettings>;
}

/** One notice type of a build job: which events are on (`enable_map`) and its `param_config`. */
export interface BuildNoticeSetting {
  /** As the cloud spells it (MESSAGE, MAIL, DING_TALK, …). */
  noticeType: string;
  events: Record<string, boolean>;
  /** Whether `param_config` is set; its content (webhook URLs, signing keys) is never shown. */
  hasParamConfig: boolean;
}

export interface BuildNoticeSettings extends ProviderAck {
  settings: BuildNoticeSetting[];
}

export interface NotificationRule {
  eventType?: string;
  sendMail?: number;
  sendMessage?: number;
  roles?: string;
  sendRolesEnable?: number;
  userIds?: string;
  sendUsersEnable?: number;
}

export interface CheckNotificationConfig extends ProviderAck {
  /** Keyed by event (codeGateFailed, deleteTask, executeTask, …). */
  rules: Record<string, NotificationRule>;
}

export type CheckScope = { scope: 'project'; projectId: string } | { scope: 'tenant'; domainId: string };

/** CodeArts Check notification configuration. */
export interface CheckNoticeProvider {
  show(query: CheckScope): Promise<CheckNotificationConfig>;
}

/** What the core may call; a missing cloud is disabled (commands for it get CONFIG.CLOUD_DISABLED). */
export interface Providers {
  pipelines: Partial<Record<Cloud, PipelineProvider>>;
  build?: BuildNoticeProvider;
  check?: CheckNoticeProvider;
  /** For CONFIG.CLOUD_DISABLED messages: which variables enable each cloud. */
  enableHints?: Partial<Record<Cloud, string>>;
}

/** One audit record, written before (phase "intent") and after (phase "outcome") every cloud call. */
export interface AuditRecord {
  id: string;
  requestId: string;
  at: number;
  phase: 'intent' | 'outcome';
  subject: string;
  operation: string;
  target: string;
  ok?: boolean;
  code?: string;
  providerRequestId?: string;
  detail?: string;
}

export interface AuditSink {
  write(record: AuditRecord): Promise<void>;
}

export const nullAudit: AuditSink = { async write() {} };

export type { OpsError };
export type { InspectedJob, InspectedStage, InspectedStep, ProbeCheck, RunInspection } from './inspection.js';
