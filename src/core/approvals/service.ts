import type { SettledDecision } from '../audit-settle.js';
import type { Core } from '../core.js';
import { OpsError, toOpsError } from '../errors.js';
import { type Locale, renderOutcome } from '../i18n/index.js';
import type { Outcome } from '../outcome.js';
import type { Clock, Decision, Logger, ManualReview, Providers } from '../ports.js';
import type { Approval, ApprovalMessageRef, Store } from '../store-ports.js';
import { type RunRef, runKey } from '../targets.js';
import { decideApproval } from './decide.js';
import type { ApprovalChannels, ApprovalPoster } from './ports.js';

export interface ApprovalServiceDeps {
  core: Core;
  /** For refresh(): reading a run on the bot's own behalf, outside any person's permissions. */
  providers: Providers;
  store: Store;
  now: Clock;
  newId: () => string;
  logger: Logger;
  locale: Locale;
  /** Default lifetime of an approval. */
  defaultTtlMs?: number;
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

export interface ApprovalService {
  registerPoster(poster: ApprovalPoster): void;
  /**
   * Reads the run (authorized as `review.pending` for the subject), opens one approval per waiting review (reusing an
   * open one for the same review) and posts it to the channels. Returns the outcome of the read and the approvals.
   */
  openForRun(input: OpenInput): Promise<{ outcome: Outcome; approvals: Approval[] }>;
  decide(input: DecideInput): Promise<{ outcome: Outcome; approval?: Approval }>;
  /** Re-reads the run of an open approval; marks it decided-elsewhere when the review stopped waiting. */
  refresh(id: string): Promise<Approval | undefined>;
  /** Expires open approvals past their time and updates their messages. Returns how many expired. */
  sweep(): Promise<number>;
  /**
   * Re-reads the runs of open approvals (at most `limit`, each at most once per `everyMs` across replicas, through a
   * dedupe claim), so a review decided in the cloud console is reflected in chat. Returns how many were closed.
   */
  refreshOpen(options?: { limit?: number; everyMs?: number }): Promise<number>;
  get(id: string): Promise<Approval | undefined>;
  /** Closes the open approval of a review decided by a process that crashed before recording it (see audit-settle). */
  closeSettled(settled: SettledDecision): Promise<Approval | undefined>;
  /** Rewrites every posted message of the approval; failures are logged, not thrown. */
  publish(approval: Approval, details?: Outcome): Promise<void>;
}

export interface DecideInput {
  approvalId: string;
  subject: string;
  context?: string[];
  decision: Decision;
  reason?: string;
  requestId?: string;
}

export function createApprovalService(deps: ApprovalServiceDeps): ApprovalService {
  const posters = new Map<ApprovalMessageRef['platform'], ApprovalPoster>();
  const ttl = deps.defaultTtlMs ?? 2 * 60 * 60 * 1000;
  const { store, now, logger } = deps;

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

  async function openOne(input: OpenInput, review: ManualReview, runName: string | undefined): Promise<Approval> {
    const pinned: RunRef =
      input.ref.cloud === 'huawei'
        ? { ...input.ref, jobRunId: review.jobId, stepRunId: review.id }
        : { ...input.ref, jobId: review.jobId };
    const existing = await store.approvals.findOpenByReview(`${runKey(pinned)}/${review.id}`);
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
      },
      ...(runName ? { runName } : {}),
      ...(input.title ? { title: input.title } : {}),
      ...(input.requester ? { requester: input.requester } : {}),
      status: 'open',
      createdAt: at,
      updatedAt: at,
      expiresAt: at + (input.expiresInMs ?? ttl),
      messages: [],
      approvers: [],
      version: 0,
    };
    await store.approvals.create(approval);
    return approval;
  }

  async function postEverywhere(approval: Approval, channels: ApprovalChannels): Promise<Approval> {
    let current = approval;
    for (const [platform, list] of Object.entries(channels) as Array<[ApprovalMessageRef['platform'], string[]]>) {
      const poster = posters.get(platform);
      if (!poster || !list?.length) continue;
      for (const channel of list) {
        if (current.messages.some((m) => m.platform === platform && m.channel === channel)) continue;
        const message = await poster.post(current, channel);
        current = (await mutate(current.id, (a) => ({ ...a, messages: [...a.messages, message] }))) ?? current;
      }
    }
    return current;
  }

  const service: ApprovalService = {
    registerPoster(poster) {
      posters.set(poster.platform, poster);
    },
    async openForRun(input) {
      const outcome = await deps.core.execute({
        subject: input.subject,
        ...(input.context ? { context: input.context } : {}),
        command: { op: 'review.pending', target: input.ref },
        ...(input.requestId ? { requestId: input.requestId } : {}),
      });
      if (!outcome.ok || outcome.result.kind !== 'pending') return { outcome, approvals: [] };
      const run = outcome.result.run;
      const pinnedId = input.ref.cloud === 'huawei' ? input.ref.stepRunId : input.ref.jobId;
      const waiting = run.reviews.filter((r) => r.status === 'waiting' && (!pinnedId || r.id === pinnedId));
      const approvals: Approval[] = [];
      for (const review of waiting) {
        const opened = await openOne({ ...input, ref: run.ref }, review, run.name);
        approvals.push(await postEverywhere(opened, input.channels));
      }
      return { outcome, approvals };
    },
    decide: (input) => decideApproval({ ...deps, publish, mutate }, input),
    async refresh(id) {
      const approval = await store.approvals.get(id);
      if (approval?.status !== 'open') return approval;
      const provider = deps.providers.pipelines[approval.ref.cloud];
      if (!provider) return approval;
      const run = await provider.getRun(approval.ref);
      const review = run.reviews.find((r) => r.id === approval.review.id);
      if (review?.status === 'waiting') return approval;
      const next = await mutate(id, (a) => (a.status === 'open' ? { ...a, status: 'decided-elsewhere' } : undefined));
      if (next && next.status === 'decided-elsewhere') await publish(next);
      return next;
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
  };
  return service;
}
