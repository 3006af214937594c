import type { OpsError } from './errors.js';
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

/** One manual review (CodeArts manual-review step; Yunxiao job with a PassPipelineValidate action). */
export interface ManualReview {
  /** CodeArts: step run id. Yunxiao: job id. This is what `--step` matches besides the name. */
  id: string;
  /** CodeArts: job run id. Yunxiao: job id (same as id). */
  jobId: string;
  name: string;
  stage?: string;
  status: ReviewStatus;
  /** Raw status string from the cloud, for messages and debugging. */
  rawStatus?: string;
  /** Who the cloud says may decide, when it says. */
  approvers?: string[];
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
}

export type Decision = 'approve' | 'reject';

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
}

/** Canonical notice types; providers map them to the spelling their API version expects. */
export const NOTICE_TYPES = ['message', 'email', 'dingtalk', 'wecom', 'feishu'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export interface NoticeUpdate {
  noticeType: NoticeType;
  events: string[];
  paramConfig?: string;
}

/** CodeArts Build notification settings of a build job. */
export interface BuildNoticeProvider {
  disable(jobId: string, noticeType: NoticeType): Promise<ProviderAck>;
  update(jobId: string, update: NoticeUpdate): Promise<ProviderAck>;
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
