import { OpsError } from '../../core/errors.js';
import { openMetadata, sealMetadata } from './sealed-metadata.js';

/** Action ids of the approval buttons and the callback id of the reason modal (kept ≤ 255 chars, Block Kit). */
export const ACTION_APPROVE = 'opsgate_approve';
export const ACTION_REJECT = 'opsgate_reject';
export const VIEW_REJECT = 'opsgate_reject_reason';
export const REASON_BLOCK = 'reason';
export const REASON_INPUT = 'reason_input';
/** Longest reason the modal accepts (the core's grammar caps free text at 1000). */
export const REASON_MAX = 1000;

const APPROVAL_ID = /^[A-Za-z0-9-]{1,64}$/;
const SLACK_ID = /^[A-Z0-9][A-Z0-9_]{1,31}$/i;

/** The person, as the policy names them: `slack:U123`. */
export function userSubject(userId: string): string {
  return `slack:${userId}`;
}

/** The channel, as the policy names it: `slack-channel:C456`. */
export function channelSubject(channelId: string): string {
  return `slack-channel:${channelId}`;
}

/** A button's value is the approval id: short letters, digits and dashes, or nothing we act on. */
export function parseApprovalId(value: unknown): string | undefined {
  return typeof value === 'string' && APPROVAL_ID.test(value) ? value : undefined;
}

export function isSlackId(value: unknown): value is string {
  return typeof value === 'string' && SLACK_ID.test(value);
}

/** A message timestamp (`1700000000.000100`), which is also the message's id in its channel. */
export function isMessageTs(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,12}\.\d{1,8}$/.test(value);
}

/** What the reason modal carries from the click to the submission (private_metadata ≤ 3000 chars). */
export interface ReasonContext {
  approvalId: string;
  channel: string;
  messageTs: string;
}

/** Sealed for the user who clicked (sealed-metadata.ts): a changed or replayed value is refused at submission. */
export function encodeReasonContext(ctx: ReasonContext, key: string, userId: string): string {
  const text = sealMetadata(key, userId, { a: ctx.approvalId, c: ctx.channel, t: ctx.messageTs });
  if (text.length > 3000) throw new OpsError('INPUT.INVALID', 'modal context too long', {});
  return text;
}

export function decodeReasonContext(text: string | undefined, key: string, userId: string): ReasonContext | undefined {
  const raw = openMetadata(key, userId, text) as { a?: unknown; c?: unknown; t?: unknown } | undefined;
  if (!raw) return undefined;
  const approvalId = parseApprovalId(raw.a);
  if (!approvalId || !isSlackId(raw.c) || !isMessageTs(raw.t)) return undefined;
  return { approvalId, channel: raw.c, messageTs: raw.t };
}

/** Delay gates: "Postpone 1 h" on the approval message. */
export const ACTION_POSTPONE = 'opsgate_postpone';
/** Buttons of the inbox (ephemeral `/ops inbox` and the App Home tab), and the reason modal opened from them. */
export const ACTION_INBOX_APPROVE = 'opsgate_inbox_approve';
export const ACTION_INBOX_REJECT = 'opsgate_inbox_reject';
export const ACTION_INBOX_POSTPONE = 'opsgate_inbox_postpone';
export const VIEW_INBOX_REJECT = 'opsgate_inbox_reject_reason';
