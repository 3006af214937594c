import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { toOpsError } from '../../core/errors.js';
import { type Locale, renderError, t } from '../../core/i18n/index.js';
import type { Logger } from '../../core/ports.js';
import type { Store } from '../../core/store-ports.js';
import { reasonModal } from './blocks.js';
import type { Click, DecideFlow } from './decide-flow.js';
import {
  ACTION_APPROVE,
  ACTION_REJECT,
  decodeReasonContext,
  encodeReasonContext,
  isMessageTs,
  isSlackId,
  parseApprovalId,
  REASON_BLOCK,
  REASON_INPUT,
  REASON_MAX,
  VIEW_REJECT,
} from './ids.js';
import { platformError, type SlackPoster } from './poster.js';
import { SLACK_DEDUPE_MS } from './timestamp-guard.js';

/** A claim outlives every timestamp Slack's signature check accepts (both directions), so a replay finds it. */
const CLAIM_MS = SLACK_DEDUPE_MS;

export interface ActionDeps {
  store: Store;
  poster: SlackPoster;
  flow: DecideFlow;
  token: string;
  /** Seals the reason modal's private_metadata (sealed-metadata.ts). */
  metadataKey: string;
  logger: Logger;
  locale: Locale;
  /** Resolves when the work after an ack may start (see after-ack.ts). */
  afterAck: () => Promise<void>;
}

/** Who clicked which approval on which message, from a block_actions payload; undefined when it is not ours. */
export function clickOf(body: BlockButtonAction): Click | undefined {
  const action = body.actions[0];
  const approvalId = parseApprovalId(action?.value);
  const container = body.container as { channel_id?: unknown; message_ts?: unknown } | undefined;
  const channel = body.channel?.id ?? container?.channel_id;
  const messageTs = body.message?.ts ?? container?.message_ts;
  if (!approvalId || !isSlackId(body.user?.id) || !isSlackId(channel) || !isMessageTs(messageTs)) return undefined;
  return { approvalId, userId: body.user.id, channel, messageTs };
}

/**
 * Registers the Approve and Reject buttons and the reason modal. Every listener acks first (Slack's 3-second
 * deadline), then claims a dedupe key so a redelivered payload makes no second decision.
 */
export function registerActions(app: App, deps: ActionDeps): void {
  const { store, poster, flow, logger, locale, afterAck } = deps;
  const claim = (key: string) => store.dedupe.claim(key, CLAIM_MS);
  /** Runs an interaction's work; a failure (e.g. the store is down) is logged and the clicker is told. */
  const guard = (what: string, to: Pick<Click, 'channel' | 'userId'>, run: () => Promise<void>) =>
    run().catch(async (err) => {
      const error = toOpsError(err);
      logger.error({ code: error.code, what }, 'slack interaction failed');
      await poster
        .ephemeral(to.channel, to.userId, renderError(locale, error))
        .catch((again) => logger.warn({ code: toOpsError(again).code }, 'slack ephemeral note failed'));
    });
  const redelivered = () => logger.info({}, 'slack interaction redelivery ignored');

  app.action<BlockButtonAction>(ACTION_APPROVE, async ({ ack, body }) => {
    await ack();
    await afterAck();
    const click = clickOf(body);
    if (!click) return void logger.warn({ action: ACTION_APPROVE }, 'slack click ignored: malformed payload');
    // Slack does not deduplicate: one action (action_ts + user) is one decision (docs/reference/slack.md).
    const actionTs = body.actions[0]?.action_ts ?? '';
    await guard('approve', click, async () => {
      if (!(await claim(`slack:action:${actionTs}:${click.userId}:${click.approvalId}`))) return redelivered();
      await flow.decide(click, 'approve');
    });
  });

  app.action<BlockButtonAction>(ACTION_REJECT, async ({ ack, body, client }) => {
    await ack();
    await afterAck();
    const click = clickOf(body);
    if (!click) return void logger.warn({ action: ACTION_REJECT }, 'slack click ignored: malformed payload');
    const actionTs = body.actions[0]?.action_ts ?? '';
    await guard('reject-open', click, async () => {
      if (!(await claim(`slack:action:${actionTs}:${click.userId}:${click.approvalId}`))) return redelivered();
      const approval = await flow.precheck(click, 'reject');
      if (!approval) return;
      const metadata = encodeReasonContext(
        { approvalId: approval.id, channel: click.channel, messageTs: click.messageTs },
        deps.metadataKey,
        click.userId,
      );
      try {
        // The trigger_id is valid for about 3 s after the click: open the modal before anything slow.
        await client.views.open({
          token: deps.token,
          trigger_id: body.trigger_id,
          view: reasonModal(locale, approval, metadata),
        });
      } catch (err) {
        const error = platformError('views.open', err);
        logger.warn({ code: error.code, slackError: error.meta.slackError }, 'slack reason modal failed');
        await poster.ephemeral(click.channel, click.userId, renderError(locale, error));
      }
    });
  });

  app.view<ViewSubmitAction>(VIEW_REJECT, async ({ ack, body, view }) => {
    // A malformed submission (no state, a value that is not text) counts as an empty reason, so it is still acked.
    const value: unknown = view.state?.values?.[REASON_BLOCK]?.[REASON_INPUT]?.value;
    const reason = typeof value === 'string' ? value.trim() : '';
    if (!reason)
      return ack({ response_action: 'errors', errors: { [REASON_BLOCK]: t(locale, 'slack.error.reasonEmpty') } });
    if (reason.length > REASON_MAX) {
      return ack({
        response_action: 'errors',
        errors: { [REASON_BLOCK]: t(locale, 'slack.error.reasonTooLong', { max: REASON_MAX }) },
      });
    }
    await ack();
    await afterAck();
    const userId = isSlackId(body.user?.id) ? body.user.id : '';
    // Sealed at the click for this user: a changed or replayed metadata is refused here.
    const ctx = userId ? decodeReasonContext(view.private_metadata, deps.metadataKey, userId) : undefined;
    if (!ctx || !isSlackId(body.user?.id)) {
      return void logger.warn({ view: VIEW_REJECT }, 'slack reason ignored: malformed payload');
    }
    const click: Click = {
      approvalId: ctx.approvalId,
      userId: body.user.id,
      channel: ctx.channel,
      messageTs: ctx.messageTs,
    };
    await guard('reject', click, async () => {
      // One submission per modal, whatever the redeliveries.
      if (!(await claim(`slack:view:${view.id}:${click.userId}`))) return redelivered();
      await flow.decide(click, 'reject', reason, 'modal');
    });
  });
}
