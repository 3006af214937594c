import { closedStatus, decidedVia } from '../../core/i18n/approval-words.js';
import { type Locale, t } from '../../core/i18n/index.js';
import type { GateKind } from '../../core/ports.js';
import type { Approval } from '../../core/store-ports.js';
import { clockTime, evidenceLines, gateLines, linkOf, summaryLines } from './card-evidence.js';
import { escapeDingTalkMarkdown } from './markdown.js';

export { clockTime } from './card-evidence.js';

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

/**
 * The template's button groups (manifest/dingtalk/card-template.json): each is shown while its boolean variable is
 * "true" (variable-driven visibility, as the submit button of dingtalk-card-examples `examples/helloworld` is shown
 * while `submitted` is false). One template serves every gate kind; the bot turns on the group of the approval's kind.
 */
export const ACTION_GROUPS: Record<GateKind, string> = {
  review: 'review_actions',
  'stage-check': 'stage_actions',
  delay: 'delay_actions',
};

/** Card variables that hide every button and the reason input (closed, or a click is being processed). */
export function actionsClosed(): Record<string, string> {
  return { actions_open: 'false', review_actions: 'false', stage_actions: 'false', delay_actions: 'false' };
}

/** One line saying where the approval stands, for the card's `status_text`. */
export function statusText(approval: Approval, locale: Locale, timeZone: string, names: Names): string {
  const withReason = (status: string, reason?: string) =>
    reason ? t(locale, 'dingtalk.withReason', { status, reason }) : status;
  switch (approval.status) {
    case 'open': {
      const open = t(locale, 'approval.open', { review: approval.review.name });
      if (approval.approvers.length === 0) return open;
      const approvers = approval.approvers.map((s) => names.display(s)).join(t(locale, 'dingtalk.card.sep'));
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
 * The card's public parameters (`cardParamMap`: strings only, booleans as "true"/"false" as the card examples send
 * them; names as in manifest/dingtalk/card-template.json). Every evidence field is optional: a missing one leaves its
 * line out of the markdown.
 * @example
 * api.createAndDeliverCard({ outTrackId, params: cardParams(approval, 'zh-CN', 'Asia/Shanghai', names), space });
 */
export function cardParams(approval: Approval, locale: Locale, timeZone: string, names: Names): Record<string, string> {
  const open = approval.status === 'open';
  const kind = approval.review.kind ?? 'review';
  const buttons = actionsClosed();
  if (open) {
    buttons.actions_open = 'true';
    buttons[ACTION_GROUPS[kind]] = 'true';
  }
  const evidence = evidenceLines(approval, locale, timeZone);
  return {
    title: approval.title ?? t(locale, `dingtalk.card.title.${kind}`, { review: approval.review.name }),
    status_tag: t(locale, `dingtalk.card.tag.${approval.status}`),
    summary: summaryLines(approval, locale, names.display).join('\n\n'),
    evidence: evidence.length > 0 ? evidence.join('\n\n') : t(locale, 'dingtalk.card.noEvidence'),
    gate: gateLines(approval, locale, timeZone, names.display).join('\n\n'),
    status: approval.status,
    // A markdown component on the card: names and reasons in it are text people typed.
    status_text: escapeDingTalkMarkdown(statusText(approval, locale, timeZone, names)),
    run_url: linkOf(approval),
    approval_id: approval.id,
    ...buttons,
  };
}
