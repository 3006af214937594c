import type { Operation } from './commands.js';
import type { OpsError } from './errors.js';
import type { WhoamiReport } from './operations/whoami.js';
import type {
  BuildNoticeSettings,
  CheckNotificationConfig,
  CheckScope,
  Decision,
  ManualReview,
  NoticeType,
  RunView,
} from './ports.js';
import type { Approval } from './store-ports.js';
import type { RunRef } from './targets.js';

/** What an operation produced; adapters render it (see i18n/render.ts for the shared words). */
export type Result =
  | {
      kind: 'decided';
      decision: Decision;
      ref: RunRef;
      review: ManualReview;
      runName?: string;
      note?: string;
      providerRequestId?: string;
      /** The first answer was lost; a second read of the run showed the decision had been applied. */
      confirmedByReread?: boolean;
      /** Who decided (subject) and the approval the decision closed. */
      by?: string;
      approvalId?: string;
    }
  | {
      kind: 'pending';
      run: RunView;
      /** From a chat: approvals posted into it now, and those that were there already. */
      approvals?: { posted: number; existing: number };
    }
  | { kind: 'notice-disabled'; jobId: string; noticeType: NoticeType; providerRequestId?: string }
  | { kind: 'notice-updated'; jobId: string; noticeType: NoticeType; events: string[]; providerRequestId?: string }
  | { kind: 'notice-config'; query: CheckScope; config: CheckNotificationConfig }
  | { kind: 'build-notice'; jobId: string; settings: BuildNoticeSettings }
  | { kind: 'watching'; ref: RunRef; watchId: string }
  /** Two-approver rule: this approval is recorded, another approver is needed before the cloud is called. */
  | { kind: 'approval-partial'; approvalId: string; approvers: string[]; needed: number }
  /** `whoami`: the asker's subjects here and what the policy grants them. */
  | { kind: 'whoami'; report: WhoamiReport }
  /** `inbox`: open approvals the asker may decide, newest first. */
  | { kind: 'inbox'; approvals: Approval[] }
  | { kind: 'help'; topic?: string };

export type Outcome =
  | { ok: true; requestId: string; operation: Operation; result: Result }
  | { ok: false; requestId: string; operation?: Operation; error: OpsError };
