import { OpsError } from '../../core/errors.js';

/** One entry of `result.deliverResults` (aliyun/dingtalk-sdk `card_1_0/Models/CreateAndDeliverResponseBody.cs`). */
interface DeliverResult {
  spaceType?: unknown;
  spaceId?: unknown;
  success?: unknown;
  errorMsg?: unknown;
}

/**
 * An HTTP 2xx from createAndDeliver does not mean the card reached the conversation: the body says
 * `{success, result:{outTrackId, deliverResults:[{spaceType, spaceId, success, errorMsg}]}}` (aliyun/dingtalk-sdk
 * CreateAndDeliverResponseBody.cs), and the official examples check `success` (dingtalk-card-examples
 * `examples/helloworld/nodejs/cardReplier.ts`). A card that did not arrive (the robot is not in the group, a wrong id)
 * throws PLATFORM.NOT_DELIVERED with DingTalk's own words, scrubbed; the caller then records no message there.
 *
 * Which entry belongs to the space: the SDK's example spaceId is `cid1234abcd` (an openConversationId); no public
 * source shows IM_ROBOT's, so an entry without a matching spaceId is judged too, and any failed entry fails the call.
 */
export function checkDelivered(body: unknown, spaceId: string): void {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as {
    success?: unknown;
    result?: { deliverResults?: unknown };
  };
  const results = Array.isArray(answer.result?.deliverResults)
    ? (answer.result.deliverResults as DeliverResult[]).slice(0, 20)
    : [];
  const failed = results.find((r) => r?.success !== true && (r?.spaceId === undefined || r.spaceId === spaceId));
  const other = results.find((r) => r?.success !== true);
  const bad = failed ?? other;
  if (answer.success === true && results.length > 0 && !bad) return;
  const scrubbed = typeof bad?.errorMsg === 'string' ? scrubPlatformMessage(bad.errorMsg) : '';
  const platformMessage = scrubbed || (answer.success === true ? 'no delivery result' : 'success: false');
  // The message reaches logs and the answer to an approval request (POST /v1/approvals): scrubbed words only.
  throw new OpsError('PLATFORM.NOT_DELIVERED', `DingTalk did not deliver the card: ${platformMessage}`, {
    label: 'dingtalk.card.create',
    platformMessage,
  });
}

/**
 * DingTalk's error text as it may be shown to people and logged: one line, no URLs (a URL could carry a token), no
 * long opaque strings (ids, keys), at most 160 characters.
 */
export function scrubPlatformMessage(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/[A-Za-z0-9+/=_-]{24,}/g, '…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}
