import type { Locks } from './locks.js';
import type { AuditRecord, AuditSink, Decision, GateKind, GateSettings, RunEvidence } from './ports.js';
import type { RunRef } from './targets.js';

/**
 * Durable state ports. Implementations: src/store/memory (tests, single process), src/store/sqlite (embedded
 * default), src/store/redis (several replicas). One contract suite (test/contract/store-contract.ts) runs against all.
 */

export type ApprovalStatus = 'open' | 'approved' | 'rejected' | 'expired' | 'decided-elsewhere';

/** Where an approval was posted: Slack channel + message ts, or DingTalk conversation + card outTrackId. */
export interface ApprovalMessageRef {
  platform: 'slack' | 'dingtalk';
  /** Slack channel id / DingTalk openConversationId. */
  channel: string;
  /** Slack message ts / DingTalk card outTrackId. */
  messageId: string;
}

/** How a decision reached opsgate: a typed command (chat or CLI), a button, a card, the reason modal, the console. */
export type DecisionPath = 'typed' | 'cli' | 'button' | 'card' | 'modal' | 'webhook' | 'console';

export interface ApprovalDecisionRecord {
  /** Subject who decided (`slack:U…`, `cli:alice`); `cloud` when it was decided outside opsgate. */
  by: string;
  at: number;
  decision: Decision;
  /** How the decision came in; absent on records written before the field existed. */
  path?: DecisionPath;
  /** CLI: who ran the command when it acted on behalf of `by`. */
  onBehalfOf?: string;
  reason?: string;
  providerRequestId?: string;
}

export interface Approval {
  id: string;
  /** The run, pinned to the review (Huawei jobRunId+stepRunId, Yunxiao jobId). */
  ref: RunRef;
  review: {
    id: string;
    jobId: string;
    name: string;
    stage?: string;
    /** Gate kind (absent: `review`). */
    kind?: GateKind;
    /** The gate's own settings as read when the approval was opened. */
    settings?: GateSettings;
    /** When the gate started waiting, when the cloud said. */
    since?: number;
    /** Chat subjects the policy's identities map to the gate's own approvers (shown and mentioned on the card). */
    deciders?: string[];
  };
  runName?: string;
  runNumber?: number;
  /** What is shipping: trigger and source of the run, as read when the approval was opened. */
  evidence?: RunEvidence;
  title?: string;
  /** Subject of whoever asked (pipeline webhook `requester`, or the person who ran `pending`). */
  requester?: string;
  status: ApprovalStatus;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  messages: ApprovalMessageRef[];
  /** Subjects that approved so far (two-approver rule). */
  approvers: string[];
  decision?: ApprovalDecisionRecord;
  /**
   * Set when the gate stopped waiting without an opsgate decision: what the cloud then showed (`approved`,
   * `rejected`, or `other` with the run's status), so the message says what happened in words.
   */
  closedBy?: { at: number; gateStatus: string; runStatus?: string };
  /** Optimistic concurrency: incremented by every successful update. */
  version: number;
}

export interface ApprovalStore {
  /** Creates the approval; returns false when one with the same id exists. */
  create(approval: Approval): Promise<boolean>;
  get(id: string): Promise<Approval | undefined>;
  /**
   * Compare-and-set: stores `next` (with version expectedVersion + 1) only if the stored version is expectedVersion.
   * @example
   * const ok = await store.update({ ...a, status: 'approved' }, a.version);
   */
  update(next: Approval, expectedVersion: number): Promise<boolean>;
  /** Open approvals, oldest first (sweeper, restart). */
  listOpen(limit?: number): Promise<Approval[]>;
  /** The open approval for one review (`runKey/reviewId`), so one review never gets two approvals. */
  findOpenByReview(reviewKey: string): Promise<Approval | undefined>;
}

export interface DedupeStore {
  /** Claims a key for ttlMs; true the first time, false while the claim lives (retries, double clicks, redeliveries). */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * Leases: at most one holder of a key across replicas (e.g. the one DingTalk Stream connection of an app). A holder
 * renews before the TTL runs out; the token fences it, so a holder whose lease expired and was taken over cannot renew
 * or release the new holder's lease.
 */
export interface LeaseStore {
  /** Takes the lease when nobody holds it; resolves with the holder's token, or undefined when it is held. */
  acquire(key: string, ttlMs: number): Promise<string | undefined>;
  /** Extends a lease still held with this token; false when it expired or someone else holds it now. */
  renew(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if this token still holds it (another holder's lease is left alone). */
  release(key: string, token: string): Promise<void>;
}

export interface AuditStore extends AuditSink {
  /** Records at or after `since` (ms), oldest first. */
  list(options?: { since?: number; limit?: number }): Promise<AuditRecord[]>;
  /** Intents without an outcome (a crash between the two): settled on restart. */
  unsettled(): Promise<AuditRecord[]>;
}

export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'redis';
  approvals: ApprovalStore;
  dedupe: DedupeStore;
  locks: Locks;
  /** Memory and Redis: exclusive with a TTL. SQLite (one replica by design): always granted. */
  leases: LeaseStore;
  audit: AuditStore;
  /** Readiness: resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function reviewKey(approval: Pick<Approval, 'ref' | 'review'>, runKeyOf: (ref: RunRef) => string): string {
  return `${runKeyOf(approval.ref)}/${approval.review.id}`;
}
