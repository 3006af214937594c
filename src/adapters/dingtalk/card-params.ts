import { closedStatus, decidedVia } from '../../core/i18n/approval-words.js';
import { type Locale, t } from '../../core/i18n/index.js';
import type { Approval } from '../../core/store-ports.js';
import { runUrl } from '../../core/targets.js';
import { escapeDingTalkMarkdown } from './markdown.js';

/** Who someone is in messages: DingTalk nicknames seen in robot messages, else the subject's id. */
export interface Names {
  remember(staffId: string, nick: string | undefined): void;
  /** `dingtalk:staff1` → "Alice" when seen, else "staff1"; other subjects as they are. */
  display(subject: string | undefined): string;
}

export function createNames(limit = 5_000): Names {
  const nicks = new Map<string, string>();
  return {
    remember(staffId, nick) {
      if (!staffId || !nick) return;
      nicks.delete(staffId);
      nicks.set(staffId, nick.slice(0, 64));
      if (nicks.size > limit) nicks.delete(nicks.keys().next().value as string);
    },
    display(subject) {
      if (!subject) return '-';
      if (!subject.startsWith('dingtalk:')) return subject;
      const staffId = subject.slice('dingtalk:'.length);
      return nicks.get(staffId) ?? staffId;
    },
  };
}

/** HH:MM in the given time zone (DingTalk users are mostly on China time). */
export function clockTime(at: number, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
}

/** One line saying where the approval stands, for the card's `status_text`. */
export function statusText(approval: Approval, locale: Locale, timeZone: string, names: Names): string {
  const withReason = (status: string, reason?: string) =>
    reason ? t(locale, 'dingtalk.withReason', { status, reason }) : status;
  switch (approval.status) {
    case 'open': {
      const open = t(locale, 'approval.open', { review: approval.review.name });
      if (approval.approvers.length === 0) return open;
      const approvers = approval.approvers.map((s) => names.display(s)).join(', ');
      return `${open} · ${t(locale, 'approval.approvers', { approvers })}`;
    }
    case 'approved':
    case 'rejected': {
      const decision = approval.decision;
      const line = t(locale, `approval.${approval.status}`, {
        by: names.display(decision?.by),
        via: decidedVia(locale, approval),
        at: clockTime(decision?.at ?? approval.updatedAt, locale, timeZone),
      });
      return withReason(line, decision?.reason);
    }
    case 'expired':
      return t(locale, 'approval.expired', { at: clockTime(approval.expiresAt, locale, timeZone) });
    case 'decided-elsewhere':
      return t(locale, 'approval.decided-elsewhere', { status: closedStatus(locale, approval) });
  }
}

/**
 * The card's public parameters (`cardParamMap`: strings only, names as in manifest/dingtalk/card-template.json).
 * @example
 * api.createAndDeliverCard({ outTrackId, params: cardParams(approval, 'zh-CN', 'Asia/Shanghai', names), space });
 */
export function cardParams(approval: Approval, locale: Locale, timeZone: string, names: Names): Record<string, string> {
  const open = approval.status === 'open';
  return {
    title: approval.title ?? t(locale, 'approval.open', { review: approval.review.name }),
    cloud: approval.ref.cloud === 'huawei' ? 'CodeArts' : 'Yunxiao',
    // cloud, pipeline, stage, step and requester fill the template's markdown component: escaped.
    pipeline: escapeDingTalkMarkdown(approval.runName ?? approval.ref.pipelineId),
    run_url: runUrl(approval.ref),
    stage: escapeDingTalkMarkdown(approval.review.stage ?? '-'),
    step: escapeDingTalkMarkdown(approval.review.name),
    requester: escapeDingTalkMarkdown(names.display(approval.requester)),
    status: approval.status,
    status_text: statusText(approval, locale, timeZone, names),
    actions_visible: open ? 'true' : 'false',
    approval_id: approval.id,
  };
}
