import type { Locale, Rendered } from '../i18n/index.js';
import type { Approval, ApprovalMessageRef } from '../store-ports.js';

/**
 * What a chat adapter provides so approvals can live in its channels. The approval service calls these; adapters
 * never change approval state themselves.
 * @example
 * service.registerPoster(createSlackPoster(client, locale));
 */
export interface ApprovalPoster {
  readonly platform: ApprovalMessageRef['platform'];
  /** Language of this platform's messages; follow-ups are rendered in it (default: the service's locale). */
  readonly locale?: Locale;
  /** Posts the approval (message or card with Approve/Reject) into a channel; returns where it went. */
  post(approval: Approval, channel: string): Promise<ApprovalMessageRef>;
  /** Rewrites a posted approval to the approval's current state (no buttons once it is not open). */
  update(approval: Approval, message: ApprovalMessageRef): Promise<void>;
  /** Posts details under the approval (Slack thread reply, DingTalk follow-up message). */
  followUp(approval: Approval, message: ApprovalMessageRef, text: Rendered): Promise<void>;
  /**
   * Optional: a private/direct message to one person of this platform (`slack:U…`, `dingtalk:<staffId>`), used to tell a
   * requester the outcome and to escalate. Resolves false when the subject is not of this platform or cannot be reached.
   */
  direct?(subject: string, text: Rendered): Promise<boolean>;
}

export type ApprovalChannels = Partial<Record<ApprovalMessageRef['platform'], string[]>>;
