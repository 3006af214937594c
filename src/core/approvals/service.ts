import type { SettledDecision } from '../audit-settle.js';
import { assertAllowed, type Policy } from '../authz.js';
import { OpsError, toOpsError } from '../errors.js';
import { withLockWaiting } from '../locks.js';
import { type Locale, renderOutcome, t } from '../i18n/index.js';
import type { OperationContext } from '../operations/context.js';
import type { Outcome } from '../outcome.js';
import type { AuditSink, Clock, Decision, Logger, ManualReview, Providers, RunView } from '../ports.js';
import type { Approval, ApprovalMessageRef, Store } from '../store-ports.js';
import { type RunRef, runKey } from '../targets.js';
import { DECISION_LEASE_MS, type DecideInput, type DecideResult, decideApproval } from './decide.js';
import { listInbox } from './inbox.js';
import { decidersOf, sendDueReminders } from './reminders.js';
import { createDecisionGate, type DecisionActor, type DecisionGate } from './gate.js';
import type { ApprovalChannels, ApprovalPoster } from './ports.js';

export interface ApprovalServiceDeps {
  policy: Policy;
  /** Reading runs on the bot's own behalf (refresh) and deciding. */
  providers: Providers;
  store: Store;
  /** Audit sink for decisions (default: the store's audit log). */
  audit?: AuditSink;
  now: Clock;
  newId: () => string;
  logger: Logger;
  locale: Locale;
  /** Default lifetime of an approval. */
  defaultTtlMs?: number;
  gate?: DecisionGate;
  /** Lease of a decision lock (default DECISION_LEASE_MS). */
  decisionLeaseMs?: number;
  /**
   * Called once per decision that did not come through core.execute (clicks, cards, the modal: typed and CLI
   * decisions are counted by the core). Must not throw.
   */
  observe?: (event: { operation: string; ok: boolean; code?: string; ms: number }) => void;
}

export interface OpenInput {
  subject: string;
  context?: string[];
  ref: RunRef;
  channels: ApprovalChannels;
  title?: string;
  requester?: string;
  expiresInMs?: number;
  requestId?: string;
}

/** Where one approval was (or could not be) posted. */
export interface Delivery {
  approvalId: string;
  platform: ApprovalMessageRef['platform'];
  channel: string;
  ok: boolean;
  /** Already there before this request. */
  existing?: boolean;
  error?: OpsError;
}

export interface OpenResult {
  outcome: Outcome;
  approvals: Approval[];
  deliveries: Delivery[];
}

export interface ApprovalService {
  readonly gate: DecisionGate;
  registerPoster(poster: ApprovalPoster): void;
  /** Platforms with a registered poster. */
  platforms(): Array<ApprovalMessageRef['platform']>;
  /**
   * Reads the run (authorized as `review.pending` for the subject), opens one approval per waiting gate (reusing an
   * open one for the same gate) and posts it to the channels, reporting each delivery.
   */
  openForRun(input: OpenInput): Promise<OpenResult>;
  /** The open approval of one gate, opened (without posting) if there is none: typed decisions go through it. */
  approvalFor(run: RunView, review: ManualReview, requester?: string): Promise<Approval>;
  decide(input: DecideInput): Promise<DecideResult>;
  /** Asks the gate early (before a modal or a confirmation): the approval, or why this actor may not decide it. */
  check(
    approvalId: string,
    actor: DecisionActor,
    decision: Decision,
  ): Promise<{ approval?: Approval; error?: OpsError }>;
  /** Re-reads the run of an open approval; closes it when its gate stopped waiting. */
  refresh(id: string): Promise<Approval | undefined>;
  /** Expires open approvals past their time and updates their messages. Returns how many expired. */
  sweep(): Promise<number>;
  /** Re-reads the runs of open approvals (each at most once per `everyMs` across replicas). Returns how many closed. */
  refreshOpen(options?: { limit?: number; everyMs?: number }): Promise<number>;
  get(id: string): Promise<Approval | undefined>;
  /** Closes the open approval of a gate decided by a process that crashed before recording it (see audit-settle). */
  closeSettled(settled: SettledDecision): Promise<Approval | undefined>;
  /** Rewrites every posted message of the approval; failures are logged, not thrown. */
  publish(approval: Approval, details?: Outcome): Promise<void>;
  /**
   * After a restart: an open approval whose decision never reached the cloud (its holder died) gets its buttons back
   * and a note in its thread; every other open approval nobody is deciding now is redrawn, so no message stays at
   * "Processing". `only` limits the pass to some approvals. Returns the ids skipped because their lock is still held
   * (a dead holder's lease lapses within DECISION_LEASE_MS: call again after it).
   */
  restoreAfterRestart(notApplied: SettledDecision[], only?: string[]): Promise<string[]>;
  /**
   * Posts an open approval into more channels (the inbox's one-to-one cards): each new message is the approval's own,
   * so its buttons are bound to it by the gate. Closed approvals are not posted.
   */
  postTo(approvalId: string, channels: ApprovalChannels): Promise<Delivery[]>;
  /** Sends the reminders and escalations that are due (policy `reminders`); once across replicas. */
  remind(): Promise<number>;
  /** The open approvals this person may decide here, newest first (`inbox`, Slack App Home). */
  inbox(who: { subject: string; context: string[] }, limit?: number): Promise<Approval[]>;
}

export type { DecideInput } from './decide.js';

export function createApprovalService(deps: ApprovalServiceDeps): ApprovalService {
  const posters = new Map<ApprovalMessageRef['platform'], ApprovalPoster>();
  const ttl = deps.defaultTtlMs ?? 2 * 60 * 60 * 1000;
  const { store, now, logger, policy } = deps;
  const gate = deps.gate ?? createDecisionGate({ policy, now });
  const audit = deps.audit ?? store.audit;

  async function publish(approval: Approval, details?: Outcome): Promise<void> {
    await Promise.all(
      approval.messages.map(async (message) => {
        const poster = posters.get(message.platform);
        if (!poster) return;
        // Each platform in its own language (DingTalk defaults to zh-CN while the service may speak English).
        const text = details ? renderOutcome(poster.locale ?? deps.locale, details) : undefined;
        try {
          await poster.update(approval, message);
          if (text) await poster.followUp(approval, message, text);
        } catch (err) {
          logger.warn(
            { approvalId: approval.id, platform: message.platform, code: toOpsError(err).code },
            'approval message update failed',
          );
        }
      }),
    );
  }

  /** Applies a change with compare-and-set, re-reading on conflict (attachMessage may race a decision). */
  async function mutate(id: string, change: (a: Approval) => Approval | undefined): Promise<Approval | undefined> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await store.approvals.get(id);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      if (await store.approvals.update({ ...next, updatedAt: now() }, current.version)) {
        return { ...next, updatedAt: now(), version: current.version + 1 };
      }
    }
    throw new OpsError('STORE.ERROR', 'approval kept changing; giving up', { approvalId: id });
  }

  /** The person who asked (approval request `requester`, or who typed `pending`) hears the outcome directly. */
  async function tellRequester(approval: Approval, outcome: Outcome): Promise<void> {
    const requester = approval.requester;
    if (!requester || !outcome.ok || outcome.result.kind !== 'decided') return;
    const result = outcome.result;
    if (result.by === requester) return;
    const poster = posters.get(requester.split(':')[0] as ApprovalMessageRef['platform']);
    if (!poster?.direct) return;
    const lines = result.note
      ? [t(deps.locale, result.decision === 'reject' ? 'result.reason' : 'result.comment', result)]
      : [];
    try {
      await poster.direct(requester, {
        ok: true,
        title: t(deps.locale, `requester.decided.${result.decision}`, {
          review: approval.review.name,
          run: approval.runName ?? approval.ref.pipelineId,
          by: result.by ?? '-',
        }),
        lines,
        mentions: result.by ? [result.by] : [],
      });
    } catch (err) {
      logger.warn({ approvalId: approval.id, code: toOpsError(err).code }, 'requester could not be told');
    }
  }

  function contextFor(requestId: string, actor: DecisionActor): OperationContext {
    return {
      providers: deps.providers,
      audit,
      locks: store.locks,
      now,
      newId: deps.newId,
      logger,
      requestId,
      // The audit names whose decision it is, and who ran it when that differs (CLI on behalf of someone).
      subject:
        actor.operator && actor.operator !== actor.subject ? `${actor.subject} (by ${actor.operator})` : actor.subject,
      context: actor.context,
    };
  }

  async function approvalFor(
    run: RunView,
    review: ManualReview,
    requester?: string,
    input?: Partial<OpenInput>,
  ): Promise<Approval> {
    const pinned: RunRef =
      run.ref.cloud === 'huawei'
        ? { ...run.ref, jobRunId: review.jobId || undefined, stepRunId: review.id }
        : { ...run.ref, jobId: review.jobId };
    if (pinned.cloud === 'huawei' && !pinned.jobRunId) delete pinned.jobRunId;
    const key = `${runKey(pinned)}/${review.id}`;
    // One open approval per gate, even when typed decisions and `pending` race: creation is serialised per gate.
    return withLockWaiting(store.locks, `open:${key}`, 10_000, () =>
      createOnce(key, pinned, run, review, requester, input),
    );
  }

  function deciders(ref: RunRef, review: ManualReview): { deciders?: string[] } {
    const found = decidersOf(policy, {
      ref,
      review: { ...review, ...(review.settings ? { settings: review.settings } : {}) },
    });
    return found.length > 0 ? { deciders: found } : {};
  }

  async function createOnce(
    key: string,
    pinned: RunRef,
    run: RunView,
    review: ManualReview,
    requester: string | undefined,
    input: Partial<OpenInput> | undefined,
  ): Promise<Approval> {
    const existing = await store.approvals.findOpenByReview(key);
    if (existing) return existing;
    const at = now();
    const approval: Approval = {
      id: deps.newId(),
      ref: pinned,
      review: {
        id: review.id,
        jobId: review.jobId,
        name: review.name,
        ...(review.stage ? { stage: review.stage } : {}),
        ...(review.kind ? { kind: review.kind } : {}),
        ...(review.settings ? { settings: review.settings } : {}),
        ...(review.since ? { since: review.since } : {}),
        ...deciders(pinned, review),
      },
      ...(run.name ? { runName: run.name } : {}),
      ...(run.runNumber !== undefined ? { runNumber: run.runNumber } : {}),
      ...(run.evidence ? { evidence: run.evidence } : {}),
      ...(input?.title ? { title: input.title } : {}),
      ...(requester ? { requester } : {}),
      status: 'open',
      createdAt: at,
      updatedAt: at,
      expiresAt: at + (input?.expiresInMs ?? ttl),
      messages: [],
      approvers: [],
      version: 0,
    };
    await store.approvals.create(approval);
    return approval;
  }

  async function postEverywhere(
    approval: Approval,
    channels: ApprovalChannels,
    deliveries: Delivery[],
  ): Promise<Approval> {
    let current = approval;
    for (const [platform, list] of Object.entries(channels) as Array<[ApprovalMessageRef['platform'], string[]]>) {
      for (const channel of list ?? []) {
        const poster = posters.get(platform);
        const base = { approvalId: approval.id, platform, channel };
        if (!poster) {
          deliveries.push({
            ...base,
            ok: false,
            error: new OpsError('CONFIG.INVALID', `${platform} is not configured in this opsgate`, { key: platform }),
          });
          continue;
        }
        if (current.messages.some((m) => m.platform === platform && m.channel === channel)) {
          deliveries.push({ ...base, ok: true, existing: true });
          continue;
        }
        try {
          const message = await poster.post(current, channel);
          current = (await mutate(current.id, (a) => ({ ...a, messages: [...a.messages, message] }))) ?? current;
          deliveries.push({ ...base, ok: true });
        } catch (err) {
          const error = toOpsError(err);
          logger.warn({ approvalId: approval.id, platform, code: error.code }, 'approval could not be posted');
          deliveries.push({ ...base, ok: false, error });
        }
      }
    }
    return current;
  }

  async function readRun(subject: string, context: string[], ref: RunRef): Promise<RunView> {
    assertAllowed(policy, [subject, ...context], { op: 'review.pending', target: ref });
    const provider = deps.providers.pipelines[ref.cloud];
    if (!provider) throw new OpsError('CONFIG.CLOUD_DISABLED', `${ref.cloud} is not configured`, { cloud: ref.cloud });
    return provider.getRun(ref);
  }

  async function close(
    approval: Approval,
    run: RunView | undefined,
    gateStatus: string,
  ): Promise<Approval | undefined> {
    const next = await mutate(approval.id, (a) =>
      a.status === 'open'
        ? {
            ...a,
            status: 'decided-elsewhere',
            closedBy: { at: now(), gateStatus, ...(run ? { runStatus: run.status } : {}) },
          }
        : undefined,
    );
    if (next && next.status === 'decided-elsewhere') await publish(next);
    return next;
  }

  const service: ApprovalService = {
    gate,
    registerPoster(poster) {
      posters.set(poster.platform, poster);
    },
    platforms: () => [...posters.keys()],
    async openForRun(input) {
      const requestId = input.requestId ?? deps.newId();
      const deliveries: Delivery[] = [];
      let run: RunView;
      try {
        run = await readRun(input.subject, input.context ?? [], input.ref);
      } catch (err) {
        return {
          outcome: { ok: false, requestId, operation: 'review.pending', error: toOpsError(err) },
          approvals: [],
          deliveries,
        };
      }
      const outcome: Outcome = { ok: true, requestId, operation: 'review.pending', result: { kind: 'pending', run } };
      const pinnedId = input.ref.cloud === 'huawei' ? input.ref.stepRunId : input.ref.jobId;
      const waiting = run.reviews.filter((r) => r.status === 'waiting' && (!pinnedId || r.id === pinnedId));
      const approvals: Approval[] = [];
      for (const review of waiting) {
        const opened = await approvalFor(run, review, input.requester, input);
        approvals.push(await postEverywhere(opened, input.channels, deliveries));
      }
      return { outcome, approvals, deliveries };
    },
    approvalFor: (run, review, requester) => approvalFor(run, review, requester),
    async decide(input) {
      const started = now();
      const result = await decideApproval(
        {
          store,
          gate,
          providers: deps.providers,
          now,
          newId: deps.newId,
          logger,
          contextFor,
          publish: async (approval, details) => {
            await publish(approval, details);
            if (details && approval.status !== 'open') await tellRequester(approval, details);
          },
          mutate,
          leaseMs: deps.decisionLeaseMs ?? DECISION_LEASE_MS,
        },
        input,
      );
      if (input.actor.path !== 'typed' && input.actor.path !== 'cli') {
        const { outcome } = result;
        deps.observe?.({
          operation: outcome.operation ?? (input.decision === 'reject' ? 'review.reject' : 'review.approve'),
          ok: outcome.ok,
          ...(outcome.ok ? {} : { code: outcome.error.code }),
          ms: now() - started,
        });
      }
      return result;
    },
    async check(approvalId, actor, decision) {
      const approval = await store.approvals.get(approvalId);
      if (!approval) return { error: new OpsError('APPROVAL.NOT_FOUND', 'no such approval', {}) };
      const error = gate.check(approval, actor, decision);
      return error ? { approval, error } : { approval };
    },
    async refresh(id) {
      const approval = await store.approvals.get(id);
      if (approval?.status !== 'open') return approval;
      const provider = deps.providers.pipelines[approval.ref.cloud];
      if (!provider) return approval;
      const run = await provider.getRun(approval.ref);
      const review = run.reviews.find((r) => r.id === approval.review.id);
      if (review?.status === 'waiting') return approval;
      return close(approval, run, review?.status ?? 'other');
    },
    async sweep() {
      let expired = 0;
      for (const approval of await store.approvals.listOpen(500)) {
        if (approval.expiresAt > now()) continue;
        const next = await mutate(approval.id, (a) => (a.status === 'open' ? { ...a, status: 'expired' } : undefined));
        if (next?.status === 'expired') {
          expired++;
          await publish(next);
        }
      }
      return expired;
    },
    async refreshOpen(options = {}) {
      const everyMs = options.everyMs ?? 60_000;
      let closed = 0;
      for (const approval of await store.approvals.listOpen(options.limit ?? 100)) {
        if (!(await store.dedupe.claim(`refresh:${approval.id}`, everyMs))) continue;
        try {
          const after = await service.refresh(approval.id);
          if (after && after.status !== 'open') closed++;
        } catch (err) {
          logger.warn({ approvalId: approval.id, code: toOpsError(err).code }, 'approval refresh failed');
        }
      }
      return closed;
    },
    get: (id) => store.approvals.get(id),
    async closeSettled(settled) {
      const open = await store.approvals.findOpenByReview(settled.reviewKey);
      if (!open) return undefined;
      const next = await mutate(open.id, (a) =>
        a.status === 'open'
          ? {
              ...a,
              status: settled.decision === 'approve' ? 'approved' : 'rejected',
              decision: {
                by: settled.by,
                at: now(),
                decision: settled.decision,
                ...(settled.note ? { reason: settled.note } : {}),
              },
            }
          : undefined,
      );
      if (next) await publish(next);
      return next;
    },
    publish,
    inbox: (who, limit) => listInbox({ store, gate }, who, limit),
    async postTo(approvalId, channels) {
      const approval = await store.approvals.get(approvalId);
      if (approval?.status !== 'open') return [];
      const deliveries: Delivery[] = [];
      await postEverywhere(approval, channels, deliveries);
      return deliveries;
    },
    async remind() {
      return sendDueReminders(
        {
          policy,
          store,
          gate,
          now,
          logger,
          locale: deps.locale,
          posters,
          post: async (approval, channels) => void (await postEverywhere(approval, channels, [])),
        },
        await store.approvals.listOpen(500),
      );
    },
    async restoreAfterRestart(notApplied, only) {
      const retry = new Set(notApplied.map((d) => d.reviewKey));
      const skipped: string[] = [];
      for (const approval of await store.approvals.listOpen(500)) {
        if (only && !only.includes(approval.id)) continue;
        try {
          // A free lock means nobody (on any replica) is deciding it now; the lock is released before the redraw so a
          // click arriving meanwhile is not refused.
          const current = await store.locks.withLock(`approval:${approval.id}`, 10_000, () =>
            store.approvals.get(approval.id),
          );
          if (current?.status !== 'open') continue;
          const failed = retry.has(`${runKey(current.ref)}/${current.review.id}`);
          const note: Outcome | undefined = failed
            ? {
                ok: false,
                requestId: deps.newId(),
                error: new OpsError('OUTCOME.NOT_SENT', 'the earlier decision did not reach the cloud', {}),
              }
            : undefined;
          await publish(current, note);
        } catch (err) {
          if (err instanceof OpsError && err.code === 'APPROVAL.IN_PROGRESS') skipped.push(approval.id);
          else logger.warn({ approvalId: approval.id, code: toOpsError(err).code }, 'approval restore failed');
        }
      }
      return skipped;
    },
  };
  return service;
}
