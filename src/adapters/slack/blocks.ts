import type { types } from '@slack/bolt';
import { closedStatus, decidedVia } from '../../core/i18n/approval-words.js';
import { type Locale, t } from '../../core/i18n/index.js';
import type { Approval } from '../../core/store-ports.js';
import type { GateKind } from '../../core/ports.js';
import { type EvidenceOptions, evidenceBlocks } from './evidence-blocks.js';
import {
  ACTION_APPROVE,
  ACTION_POSTPONE,
  ACTION_REJECT,
  REASON_BLOCK,
  REASON_INPUT,
  REASON_MAX,
  VIEW_REJECT,
} from './ids.js';
import { clip, escapeMrkdwn, mention, plainSubject, slackTime, utcTime } from './text.js';

type KnownBlock = types.KnownBlock;

/** How an approval message looks: its stored state, or "processing" between a click and the cloud's answer. */
export type MessageState = { kind: 'stored' } | { kind: 'processing'; by: string };

export interface ApprovalMessage {
  text: string;
  blocks: KnownBlock[];
}

export function title(locale: Locale, approval: Approval): string {
  return (
    approval.title ?? t(locale, `slack.open.${approval.review.kind ?? 'review'}`, { review: approval.review.name })
  );
}

/** The line under the facts that says where the approval stands (mrkdwn and plain fallback). */
function stateLine(locale: Locale, approval: Approval, state: MessageState): { md?: string; plain?: string } {
  if (state.kind === 'processing') {
    return {
      md: t(locale, 'approval.processing', { by: mention(state.by) }),
      plain: t(locale, 'approval.processing', { by: plainSubject(state.by) }),
    };
  }
  const d = approval.decision;
  switch (approval.status) {
    case 'open':
      if (approval.approvers.length === 0) return {};
      return {
        md: t(locale, 'approval.approvers', { approvers: approval.approvers.map(mention).join(', ') }),
        plain: t(locale, 'approval.approvers', { approvers: approval.approvers.map(plainSubject).join(', ') }),
      };
    case 'approved':
    case 'rejected': {
      const at = d?.at ?? approval.updatedAt;
      const reason = d?.reason ? `: ${d.reason}` : '';
      return {
        md: `${t(locale, `approval.${approval.status}`, { by: mention(d?.by), via: decidedVia(locale, approval), at: slackTime(at) })}${escapeMrkdwn(reason)}`,
        plain: `${t(locale, `approval.${approval.status}`, { by: plainSubject(d?.by), via: decidedVia(locale, approval), at: utcTime(at) })}${reason}`,
      };
    }
    case 'expired':
      return {
        md: t(locale, 'approval.expired', { at: slackTime(approval.expiresAt) }),
        plain: t(locale, 'approval.expired', { at: utcTime(approval.expiresAt) }),
      };
    case 'decided-elsewhere': {
      const text = t(locale, 'approval.decided-elsewhere', { status: closedStatus(locale, approval) });
      return { md: escapeMrkdwn(text), plain: text };
    }
  }
}

type Button = Extract<types.ActionsBlockElement, { type: 'button' }>;

/** Button words per gate kind: review Approve/Reject; stage check "Let the stage start"/"Block the stage"; delay "Run now"/"Stop"/"Postpone 1 h". */
function word(locale: Locale, kind: GateKind, action: 'approve' | 'reject' | 'postpone'): string {
  return kind === 'review' ? t(locale, `slack.button.${action}`) : t(locale, `slack.button.${kind}.${action}`);
}

/**
 * The decision buttons of an approval for its gate kind; `ids` picks the action ids (approval message or inbox).
 * Button limits: value ≤ 2000, text ≤ 75; confirm title ≤ 100, text ≤ 300, confirm/deny ≤ 30 (reference/slack.md).
 */
export function decisionButtons(
  locale: Locale,
  approval: Approval,
  ids: { approve: string; reject: string; postpone: string } = {
    approve: ACTION_APPROVE,
    reject: ACTION_REJECT,
    postpone: ACTION_POSTPONE,
  },
): Button[] {
  const kind: GateKind = approval.review.kind ?? 'review';
  const pipeline = approval.runName ?? approval.ref.pipelineId;
  const confirm = (key: string) =>
    t(locale, kind === 'review' ? `slack.confirm.${key}` : `slack.confirm.${kind}.${key}`);
  const buttons: Button[] = [
    {
      type: 'button',
      action_id: ids.approve,
      style: 'primary',
      value: approval.id,
      text: { type: 'plain_text', text: clip(word(locale, kind, 'approve'), 75) },
      confirm: {
        title: { type: 'plain_text', text: clip(confirm('title'), 100) },
        text: {
          type: 'plain_text',
          text: clip(
            t(locale, kind === 'review' ? 'slack.confirm.text' : `slack.confirm.${kind}.text`, {
              review: approval.review.name,
              pipeline,
            }),
            300,
          ),
        },
        confirm: { type: 'plain_text', text: clip(word(locale, kind, 'approve'), 30) },
        deny: { type: 'plain_text', text: clip(t(locale, 'slack.confirm.no'), 30) },
      },
    },
    {
      type: 'button',
      action_id: ids.reject,
      style: 'danger',
      value: approval.id,
      text: { type: 'plain_text', text: clip(word(locale, kind, 'reject'), 75) },
    },
  ];
  if (kind === 'delay') {
    buttons.push({
      type: 'button',
      action_id: ids.postpone,
      value: approval.id,
      text: { type: 'plain_text', text: clip(word(locale, kind, 'postpone'), 75) },
    });
  }
  return buttons;
}

/**
 * The approval message: header, the evidence (pipeline link and run number, stage, step, trigger, source, commit,
 * cloud, requester, expiry; the gate in words; the run link), where it stands, and the decision buttons of its gate
 * kind only while it is open and nobody is processing it.
 */
export function approvalMessage(
  locale: Locale,
  approval: Approval,
  state: MessageState,
  /** The clock and zone of the times in words; the poster passes its injected clock. */
  options: EvidenceOptions = { now: Date.now(), timezone: 'UTC' },
): ApprovalMessage {
  const head = title(locale, approval);
  const line = stateLine(locale, approval, state);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(head, 150) } },
    ...evidenceBlocks(locale, approval, options),
  ];
  if (line.md) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(line.md, 2900) } });
  if (approval.status === 'open' && state.kind === 'stored') {
    blocks.push({ type: 'actions', block_id: 'opsgate_decision', elements: decisionButtons(locale, approval) });
  }
  // The fallback `text` is parsed for mentions and links like mrkdwn (it is what notifications show): escaped too.
  const text = clip(escapeMrkdwn([head, line.plain].filter(Boolean).join(' · ')), 2900);
  return { text, blocks };
}

/** The reason modal opened by Reject. */
export function reasonModal(locale: Locale, approval: Approval, privateMetadata: string): types.ModalView {
  const pipeline = approval.runName ?? approval.ref.pipelineId;
  return {
    type: 'modal',
    callback_id: VIEW_REJECT,
    private_metadata: privateMetadata,
    // Modal title, submit and close are plain_text of at most 24 characters.
    title: { type: 'plain_text', text: clip(t(locale, 'slack.modal.title'), 24) },
    submit: { type: 'plain_text', text: clip(t(locale, 'slack.modal.submit'), 24) },
    close: { type: 'plain_text', text: clip(t(locale, 'slack.modal.close'), 24) },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(escapeMrkdwn(t(locale, 'slack.modal.intro', { review: approval.review.name, pipeline })), 2900),
        },
      },
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: { type: 'plain_text', text: clip(t(locale, 'slack.modal.label'), 2000) },
        element: {
          type: 'plain_text_input',
          action_id: REASON_INPUT,
          multiline: true,
          max_length: REASON_MAX,
          placeholder: { type: 'plain_text', text: clip(t(locale, 'slack.modal.placeholder'), 150) },
        },
      },
    ],
  };
}
