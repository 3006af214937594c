import { matches, type Policy } from '../authz.js';
import { toOpsError } from '../errors.js';
import { type Locale, type Rendered, t } from '../i18n/index.js';
import type { Clock, Logger } from '../ports.js';
import type { Approval, ApprovalMessageRef, Store } from '../store-ports.js';
import type { DecisionGate } from './gate.js';
import type { ApprovalChannels, ApprovalPoster } from './ports.js';

type ReminderRule = Policy['reminders'][number];

/** A claim on a sent reminder lives long past any approval, so a restart or another replica never sends it again. */
const SENT_CLAIM_MS = 30 * 24 * 3_600_000;

/** One point in an approval's life when opsgate speaks up. */
export interface DuePoint {
  key: string;
  kind: 'remind' | 'before' | 'escalate';
  at: number;
}

/** The reminder rule for an approval's pipeline: the first that matches, `*` being a default. */
export function ruleFor(policy: Policy, approval: Approval): ReminderRule | undefined {
  const key = `${approval.ref.cloud}:${approval.ref.pipelineId}`;
  return policy.reminders.find((r) => r.pipelines.some((p) => matches(p, key)));
}

/** When the gate gives up by itself (its own timeout), else when opsgate's approval expires. */
export function deadlineOf(approval: Approval): { at: number; byGate: boolean } {
  const minutes = approval.review.settings?.timeoutMinutes;
  if (minutes !== undefined && minutes > 0) {
    return { at: (approval.review.since ?? approval.createdAt) + minutes * 60_000, byGate: true };
  }
  return { at: approval.expiresAt, byGate: false };
}

/** The points of a rule that are due now (each has a stable key, so it is sent once). */
export function duePoints(rule: ReminderRule, approval: Approval, now: number): DuePoint[] {
  const points: DuePoint[] = [];
  for (const ms of rule.after) points.push({ key: `after:${ms}`, kind: 'remind', at: approval.createdAt + ms });
  const deadline = deadlineOf(approval).at;
  for (const ms of rule.beforeTimeout) points.push({ key: `before:${ms}`, kind: 'before', at: deadline - ms });
  if (rule.escalate) points.push({ key: 'escalate', kind: 'escalate', at: approval.createdAt + rule.escalate.after });
  // A point already past the deadline (a gate that timed out) says nothing any more.
  return points.filter((p) => p.at <= now && now < deadline);
}

/** Chat subjects that may decide a gate, where the policy maps its listed approvers (for mentions). */
export function decidersOf(policy: Policy, approval: Pick<Approval, 'ref' | 'review'>): string[] {
  const listed = approval.review.settings?.approvers ?? [];
  const cloud = approval.ref.cloud;
  return policy.identities
    .filter((i) => i[cloud] !== undefined && listed.includes(i[cloud]!))
    .flatMap((i) => i.subjects.filter((s) => !s.includes('*')));
}

export interface ReminderDeps {
  policy: Policy;
  store: Store;
  gate: DecisionGate;
  now: Clock;
  logger: Logger;
  locale: Locale;
  posters: ReadonlyMap<ApprovalMessageRef['platform'], ApprovalPoster>;
  /** Posts an approval into more channels (escalation), as `pending` does. */
  post(approval: Approval, channels: ApprovalChannels): Promise<void>;
}

/**
 * Reminds in the approval's thread at the chosen points (mentioning those who can decide) and escalates to named
 * channels or people when nobody has decided by a point. Each point is claimed in the store before it is sent: once
 * across replicas and restarts. Returns how many points were sent.
 */
export async function sendDueReminders(deps: ReminderDeps, approvals: Approval[]): Promise<number> {
  let sent = 0;
  for (const approval of approvals) {
    if (approval.status !== 'open') continue;
    const rule = ruleFor(deps.policy, approval);
    if (!rule) continue;
    for (const point of duePoints(rule, approval, deps.now())) {
      if (!(await deps.store.dedupe.claim(`remind:${approval.id}:${point.key}`, SENT_CLAIM_MS))) continue;
      try {
        if (point.kind === 'escalate' && rule.escalate) await escalate(deps, approval, rule.escalate);
        else await remind(deps, approval, point);
        sent++;
      } catch (err) {
        deps.logger.warn({ approvalId: approval.id, code: toOpsError(err).code }, 'reminder not sent');
      }
    }
  }
  return sent;
}

function reminderText(deps: ReminderDeps, approval: Approval, point: DuePoint): Rendered {
  const { locale } = deps;
  const deadline = deadlineOf(approval);
  const minutesLeft = Math.max(1, Math.round((deadline.at - deps.now()) / 60_000));
  const waited = Math.max(1, Math.round((deps.now() - (approval.review.since ?? approval.createdAt)) / 60_000));
  const lines: string[] = [];
  if (point.kind === 'before') {
    const onTimeout = approval.review.settings?.onTimeout;
    const what =
      deadline.byGate && (onTimeout === 'reject' || onTimeout === 'pass')
        ? t(locale, `remind.timeout.${onTimeout}`)
        : t(locale, deadline.byGate ? 'remind.timeout.gate' : 'remind.timeout.expire');
    lines.push(t(locale, 'remind.before', { minutes: minutesLeft, what }));
  }
  const mentions = decidersOf(deps.policy, approval);
  return {
    ok: true,
    title: t(locale, 'remind.title', { review: approval.review.name, minutes: waited }),
    lines,
    ...(mentions.length > 0 ? { mentions } : {}),
  };
}

async function remind(deps: ReminderDeps, approval: Approval, point: DuePoint): Promise<void> {
  const text = reminderText(deps, approval, point);
  for (const message of approval.messages) {
    await deps.posters.get(message.platform)?.followUp(approval, message, text);
  }
}

async function escalate(
  deps: ReminderDeps,
  approval: Approval,
  to: NonNullable<ReminderRule['escalate']>,
): Promise<void> {
  const channels: ApprovalChannels = {};
  for (const target of to.channels) {
    const [platform, channel] = target.split(/:(.*)/s) as [string, string | undefined];
    if ((platform === 'slack' || platform === 'dingtalk') && channel) (channels[platform] ??= []).push(channel);
  }
  if (Object.keys(channels).length > 0) await deps.post(approval, channels);
  const text: Rendered = {
    ok: true,
    title: t(deps.locale, 'remind.escalated', {
      review: approval.review.name,
      run: approval.runName ?? approval.ref.pipelineId,
    }),
    lines: [],
  };
  for (const person of to.people) {
    const platform = person.split(':')[0] as ApprovalMessageRef['platform'];
    await deps.posters.get(platform)?.direct?.(person, text);
  }
}
