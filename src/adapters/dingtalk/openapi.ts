import { dingTalkUnavailable } from './net-errors.js';
import { OpsError } from '../../core/errors.js';
import { scrubDeep } from '../../core/scrub.js';
import type { Clock } from '../../core/ports.js';
import type { HttpClient, HttpResponse } from '../../net/http-client.js';
import { createAccessTokens } from './access-token.js';
import type { DingTalkConfig } from './config.js';
import { checkDelivered } from './delivery.js';

export interface Markdown {
  title: string;
  text: string;
}

export type CardParams = Record<string, string>;

/** The OpenAPI calls the adapter makes (docs/reference/dingtalk.md "OpenAPI"). */
export interface DingTalkApi {
  /** Creates a card that calls back over Stream and delivers it to one group or one person's robot chat. */
  createAndDeliverCard(input: {
    outTrackId: string;
    params: CardParams;
    space: { kind: 'group'; conversationId: string } | { kind: 'robot'; userId: string };
  }): Promise<void>;
  /** Rewrites a card's public data by key (and optionally one user's private data). */
  updateCard(
    outTrackId: string,
    params: CardParams,
    privateFor?: { userId: string; params: CardParams },
  ): Promise<void>;
  sendGroupMarkdown(conversationId: string, message: Markdown): Promise<void>;
  sendUserMarkdown(userIds: string[], message: Markdown): Promise<void>;
  /**
   * Posts to a message's sessionWebhook; false when the webhook refused (expired, revoked): the caller falls back to
   * the OpenAPI. The URL is a bearer secret: it never reaches a log or an error.
   */
  postSessionWebhook(url: string, body: unknown): Promise<boolean>;
}

/**
 * @example
 * const api = createDingTalkApi({ http, config, now: Date.now });
 * await api.sendGroupMarkdown('cidXXXX', { title: 'opsgate', text: '**done**' });
 */
export function createDingTalkApi(deps: { http: HttpClient; config: DingTalkConfig; now: Clock }): DingTalkApi {
  const { http, config } = deps;
  const tokens = createAccessTokens({ ...config, http, now: deps.now });

  async function call(label: string, method: 'POST' | 'PUT', path: string, body: unknown): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get();
      const res = await http
        .request({
          origin: config.apiUrl,
          method,
          path,
          headers: { 'Content-Type': 'application/json', 'x-acs-dingtalk-access-token': token },
          // Every card and message opsgate sends to DingTalk passes here: scrubbed of secrets (src/core/scrub.ts).
          body: JSON.stringify(scrubDeep(body)),
          idempotent: method === 'PUT',
          label,
        })
        .catch(dingTalkUnavailable);
      const code = (res.json as { code?: unknown } | undefined)?.code;
      const authFailed = res.status === 401 || code === 'InvalidAuthentication';
      if (authFailed && attempt === 0) {
        // An expired or revoked token: fetch a new one once, then give up.
        tokens.invalidate(token);
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res;
      throw new OpsError('PLATFORM.ERROR', `${label} answered ${res.status}`, {
        label,
        status: res.status,
        platformCode: typeof code === 'string' ? code.slice(0, 64) : undefined,
      });
    }
  }

  const msgParam = (m: Markdown) => JSON.stringify({ title: m.title, text: m.text });

  return {
    async createAndDeliverCard({ outTrackId, params, space }) {
      const body: Record<string, unknown> = {
        cardTemplateId: config.cardTemplateId,
        outTrackId,
        // Without STREAM the buttons' clicks never reach the bot (docs/reference/dingtalk.md).
        callbackType: 'STREAM',
        cardData: { cardParamMap: params },
      };
      if (space.kind === 'group') {
        body.openSpaceId = `dtv1.card//IM_GROUP.${space.conversationId}`;
        // Forwarding stays on: a click is authorized by the space it happened in (the callback's spaceType/spaceId),
        // never by the group the card was first sent to, so a forwarded card carries no group's rights (decisions.ts).
        body.imGroupOpenSpaceModel = { supportForward: true };
        body.imGroupOpenDeliverModel = { robotCode: config.robotCode };
      } else {
        body.openSpaceId = `dtv1.card//IM_ROBOT.${space.userId}`;
        body.imRobotOpenSpaceModel = { supportForward: false };
        body.imRobotOpenDeliverModel = { spaceType: 'IM_ROBOT', robotCode: config.robotCode };
      }
      const res = await call('dingtalk.card.create', 'POST', '/v1.0/card/instances/createAndDeliver', body);
      checkDelivered(res.json, space.kind === 'group' ? space.conversationId : space.userId);
    },
    async updateCard(outTrackId, params, privateFor) {
      await call('dingtalk.card.update', 'PUT', '/v1.0/card/instances', {
        outTrackId,
        cardData: { cardParamMap: params },
        ...(privateFor ? { privateData: { [privateFor.userId]: { cardParamMap: privateFor.params } } } : {}),
        cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
        userIdType: 1,
      });
    },
    async sendGroupMarkdown(conversationId, message) {
      await call('dingtalk.group.send', 'POST', '/v1.0/robot/groupMessages/send', {
        robotCode: config.robotCode,
        openConversationId: conversationId,
        msgKey: 'sampleMarkdown',
        msgParam: msgParam(message),
      });
    },
    async sendUserMarkdown(userIds, message) {
      await call('dingtalk.oto.send', 'POST', '/v1.0/robot/oToMessages/batchSend', {
        robotCode: config.robotCode,
        userIds,
        msgKey: 'sampleMarkdown',
        msgParam: msgParam(message),
      });
    },
    async postSessionWebhook(url, body) {
      const target = new URL(url);
      const res = await http
        .request({
          origin: target.origin,
          method: 'POST',
          path: target.pathname + target.search,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(scrubDeep(body)),
          idempotent: false,
          label: 'dingtalk.session-webhook',
        })
        .catch(dingTalkUnavailable);
      const errcode = (res.json as { errcode?: unknown } | undefined)?.errcode;
      return res.status === 200 && (errcode === undefined || errcode === 0);
    },
  };
}
