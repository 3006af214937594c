import { openMetadata, sealMetadata } from './sealed-metadata.js';
import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { DecisionActor } from '../../core/approvals/gate.js';
import type { ApprovalService } from '../../core/approvals/service.js';
import { OpsError, toOpsError } from '../../core/errors.js';
import { type Locale, type Rendered, renderError, renderOutcome, t } from '../../core/i18n/index.js';
import type { Decision, Logger } from '../../core/ports.js';
import type { Store } from '../../core/store-ports.js';
import { clickOf } from './actions.js';
import { reasonModal } from './blocks.js';
import type { DecideFlow } from './decide-flow.js';
import type { Home } from './home.js';
import {
  ACTION_INBOX_APPROVE,
  ACTION_INBOX_POSTPONE,
  ACTION_INBOX_REJECT,
  ACTION_POSTPONE,
  channelSubject,
  isSlackId,
  parseApprovalId,
  REASON_BLOCK,
  REASON_INPUT,
  REASON_MAX,
  userSubject,
  VIEW_INBOX_REJECT,
} from './ids.js';
import { platformError, type SlackPoster } from './poster.js';

const CLAIM_MS = 10 * 60_000;

export interface InboxActionDeps {
  store: Store;
  approvals: ApprovalService;
  poster: SlackPoster;
  flow: DecideFlow;
  home: Home;
  token: string;
  /** Seals the reason modal's private_metadata (sealed-metadata.ts). */
  metadataKey: string;
  logger: Logger;
  locale: Locale;
  afterAck: () => Promise<void>;
}

/** Where an inbox button was clicked: the Home tab (the person alone) or an ephemeral list in a channel. */
type Place = { userId: string; approvalId: string; channel?: string };

function placeOf(body: BlockButtonAction): Place | undefined {
  const approvalId = parseApprovalId(body.actions[0]?.value);
  const container = body.container as { type?: unknown; channel_id?: unknown } | undefined;
  if (!approvalId || !isSlackId(body.user?.id)) return undefined;
  if (container?.type === 'view') return { userId: body.user.id, approvalId };
  const channel = body.channel?.id ?? container?.channel_id;
  return isSlackId(channel) ? { userId: body.user.id, approvalId, channel } : undefined;
}

/**
 * Buttons outside the approval message: Postpone on a delay gate's message (through the decide flow, like Approve),
 * and the inbox's Approve / Reject / Postpone (ephemeral list and App Home). An inbox click decides as the person plus
 * the channel the list was shown in (none on the Home tab, so a channel's rights never reach the Home tab), through
 * the approval service, which checks the policy and rewrites the approval's messages.
 */
export function registerInboxActions(app: App, deps: InboxActionDeps): void {
  const { store, approvals, poster, flow, home, logger, locale, afterAck } = deps;
  const claim = (key: string) => store.dedupe.claim(key, CLAIM_MS);

  async function tell(place: Place, rendered: Pick<Rendered, 'title' | 'lines'>): Promise<void> {
    try {
      if (place.channel) await poster.ephemeral(place.channel, place.userId, rendered);
      else await home.notice(place.userId, rendered);
    } catch (err) {
      logger.warn({ code: toOpsError(err).code }, 'slack inbox note failed');
    }
  }

  async function decide(place: Place, decision: Decision, reason?: string): Promise<void> {
    try {
      const { outcome } = await approvals.decide({
        approvalId: place.approvalId,
        actor: actorOf(place, reason ? 'modal' : 'button'),
        decision,
        ...(reason ? { reason } : {}),
      });
      await tell(place, renderOutcome(locale, outcome));
    } catch (err) {
      await tell(place, renderError(locale, toOpsError(err)));
    }
  }

  app.action<BlockButtonAction>(ACTION_POSTPONE, async ({ ack, body }) => {
    await ack();
    await afterAck();
    const click = clickOf(body);
    if (!click) return void logger.warn({ action: ACTION_POSTPONE }, 'slack click ignored: malformed payload');
    const actionTs = body.actions[0]?.action_ts ?? '';
    if (!(await claim(`slack:action:${actionTs}:${click.userId}:${click.approvalId}`).catch(() => false))) return;
    await flow
      .decide(click, 'postpone')
      .catch((err) => logger.error({ code: toOpsError(err).code }, 'slack postpone failed'));
  });

  for (const [action, decision] of [
    [ACTION_INBOX_APPROVE, 'approve'],
    [ACTION_INBOX_POSTPONE, 'postpone'],
  ] as const) {
    app.action<BlockButtonAction>(action, async ({ ack, body }) => {
      await ack();
      await afterAck();
      const place = placeOf(body);
      if (!place) return void logger.warn({ action }, 'slack click ignored: malformed payload');
      const actionTs = body.actions[0]?.action_ts ?? '';
      if (!(await claim(`slack:inbox:${actionTs}:${place.userId}:${place.approvalId}`).catch(() => false))) return;
      await decide(place, decision);
    });
  }

  app.action<BlockButtonAction>(ACTION_INBOX_REJECT, async ({ ack, body, client }) => {
    await ack();
    await afterAck();
    const place = placeOf(body);
    if (!place) return void logger.warn({ action: ACTION_INBOX_REJECT }, 'slack click ignored: malformed payload');
    // The core's gate answers before the modal opens: nobody types a reason for a decision they may not take.
    const checked = await approvals
      .check(place.approvalId, actorOf(place, 'modal'), 'reject')
      .catch((err: unknown) => ({ error: toOpsError(err), approval: undefined }));
    const approval = checked.approval;
    if (checked.error || !approval) {
      return tell(
        place,
        renderError(locale, checked.error ?? new OpsError('APPROVAL.NOT_FOUND', 'no such approval', {})),
      );
    }
    const metadata = sealMetadata(deps.metadataKey, place.userId, {
      a: place.approvalId,
      ...(place.channel ? { c: place.channel } : {}),
    });
    try {
      // The trigger_id is valid for about 3 s after the click: open the modal before anything slow.
      await client.views.open({
        token: deps.token,
        trigger_id: body.trigger_id,
        view: { ...reasonModal(locale, approval, metadata), callback_id: VIEW_INBOX_REJECT },
      });
    } catch (err) {
      await tell(place, renderError(locale, platformError('views.open', err)));
    }
  });

  app.view<ViewSubmitAction>(VIEW_INBOX_REJECT, async ({ ack, body, view }) => {
    const value: unknown = view.state?.values?.[REASON_BLOCK]?.[REASON_INPUT]?.value;
    const reason = typeof value === 'string' ? value.trim() : '';
    if (!reason || reason.length > REASON_MAX) {
      const words = reason
        ? t(locale, 'slack.error.reasonTooLong', { max: REASON_MAX })
        : t(locale, 'slack.error.reasonEmpty');
      return ack({ response_action: 'errors', errors: { [REASON_BLOCK]: words } });
    }
    await ack();
    await afterAck();
    const place = placeFromMetadata(deps.metadataKey, view.private_metadata, body.user?.id);
    if (!place) return void logger.warn({ view: VIEW_INBOX_REJECT }, 'slack reason ignored: malformed payload');
    if (!(await claim(`slack:view:${view.id}:${place.userId}`).catch(() => false))) return;
    await decide(place, 'reject', reason);
  });
}

/**
 * The person, and the channel the list was shown in (none on the Home tab). No message binding: an inbox lists
 * approvals, it is not one of their messages; the gate checks everything else.
 */
function actorOf(place: Place, path: 'button' | 'modal'): DecisionActor {
  return { subject: userSubject(place.userId), context: place.channel ? [channelSubject(place.channel)] : [], path };
}

/** The place sealed at the click (sealed-metadata.ts): a forged channel would otherwise lend its rights. */
function placeFromMetadata(key: string, text: string | undefined, userId: unknown): Place | undefined {
  if (!isSlackId(userId)) return undefined;
  const raw = openMetadata(key, userId, text) as { a?: unknown; c?: unknown } | undefined;
  const approvalId = parseApprovalId(raw?.a);
  if (!raw || !approvalId) return undefined;
  if (raw.c === undefined) return { userId, approvalId };
  return isSlackId(raw.c) ? { userId, approvalId, channel: raw.c } : undefined;
}
