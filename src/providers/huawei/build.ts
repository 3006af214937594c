import { OpsError } from '../../core/errors.js';
import {
  type BuildNoticeProvider,
  type BuildNoticeSetting,
  type Logger,
  NOTICE_TYPES,
  type NoticeType,
  type NoticeUpdate,
  type ProviderAck,
} from '../../core/ports.js';
import { type HttpClient, type HttpResponse, seg } from '../../net/http-client.js';
import type { HuaweiAuth } from './auth.js';
import { createHuaweiCaller } from './call.js';
import { huaweiBadResponse, parseProviderError, redact, requestIdOf, truncate } from './errors.js';

export type NoticeSpelling = 'legacy' | 'current';

export interface HuaweiBuildOptions {
  http: HttpClient;
  /** CodeArts Build origin, e.g. https://cloudbuild-ext.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  auth: HuaweiAuth;
  /** Which `notice_type` spelling the API expects (docs/reference/huawei-codearts.md, "Build notifications"). */
  noticeSpelling: NoticeSpelling;
  logger?: Logger;
}

/** Older docs (and the seed page): message/email/DingTalk. Current docs: MESSAGE/MAIL/DING_TALK/WECOM/FEISHU. */
const SPELLINGS: Record<NoticeSpelling, Partial<Record<NoticeType, string>>> = {
  legacy: { message: 'message', email: 'email', dingtalk: 'DingTalk' },
  current: { message: 'MESSAGE', email: 'MAIL', dingtalk: 'DING_TALK', wecom: 'WECOM', feishu: 'FEISHU' },
};

const JOB_ID = /^[A-Za-z0-9]{32}$/;
const EVENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Maps a canonical notice type to the spelling the configured API version expects.
 * @example
 * noticeTypeFor('dingtalk', 'legacy'); // 'DingTalk'
 * noticeTypeFor('dingtalk', 'current'); // 'DING_TALK'
 */
export function noticeTypeFor(type: NoticeType, spelling: NoticeSpelling): string {
  const mapped = (NOTICE_TYPES as readonly string[]).includes(type) ? SPELLINGS[spelling][type] : undefined;
  if (mapped === undefined) {
    const allowed = Object.keys(SPELLINGS[spelling]);
    throw new OpsError('INPUT.BAD_ARGUMENT', `notice type must be one of ${allowed.join(', ')}`, {
      field: 'notice-type',
      expected: allowed,
    });
  }
  return mapped;
}

/** One `QueryJobNoticeItems` (SDK model_query_job_notice_items.go); param_config content is never copied out. */
function noticeSettingOf(item: unknown): BuildNoticeSetting[] {
  if (typeof item !== 'object' || item === null) return [];
  const { notice_type: type, enable_map: map, param_config: params } = item as Record<string, unknown>;
  if (typeof type !== 'string' || type === '') return [];
  const events: Record<string, boolean> = {};
  if (typeof map === 'object' && map !== null) {
    for (const [event, on] of Object.entries(map).slice(0, 50)) {
      if (/^[A-Za-z0-9_.-]{1,64}$/.test(event)) events[event] = on === true;
    }
  }
  return [{ noticeType: truncate(type, 32), events, hasParamConfig: typeof params === 'string' && params !== '' }];
}

function assertJobId(jobId: string): string {
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
    throw new OpsError('INPUT.BAD_ID', 'build job id must be 32 letters or digits', {
      field: 'job',
      expected: '32 letters or digits',
    });
  }
  return jobId;
}

/**
 * CodeArts Build notification settings of one build job (`/v3/jobs/notice/{job_id}/disable|update|query`).
 * @example
 * const build = createHuaweiBuild({ http, endpoint, auth, noticeSpelling: 'current' });
 * await build.disable('48c66c6002964721be537cdc6ce0297b', 'dingtalk');
 */
export function createHuaweiBuild(options: HuaweiBuildOptions): BuildNoticeProvider {
  const { endpoint, noticeSpelling, auth } = options;
  const call = createHuaweiCaller(options);

  function ackOf(res: HttpResponse, label: string): ProviderAck {
    const body = res.json as { status?: unknown; error?: unknown } | undefined;
    const status = typeof body?.status === 'string' ? body.status.toLowerCase() : undefined;
    const requestId = requestIdOf(res);
    if (status === 'fail') {
      const parsed = parseProviderError(body, auth.secrets);
      const raw = body?.error == null ? '' : JSON.stringify(body.error);
      const providerMessage = parsed.providerMessage ?? truncate(redact(raw, auth.secrets));
      const suffix = providerMessage ? `: ${providerMessage}` : '';
      throw new OpsError('PROVIDER.ERROR', `${label}: build service reported failure${suffix}`, {
        provider: 'huawei',
        label,
        status: res.status,
        providerCode: parsed.providerCode,
        providerMessage,
        requestId,
      });
    }
    if (status !== 'success') throw huaweiBadResponse(res, label, 'status is neither success nor fail');
    return requestId ? { requestId } : {};
  }

  return {
    /** ListNotice: `GET /v3/jobs/notice/{job_id}/query` → `{result:[{notice_type, enable_map, param_config}], error, status}`. */
    async show(jobId) {
      const job = assertJobId(jobId);
      const label = 'huawei.build.notice.show';
      const res = await call({
        origin: endpoint,
        method: 'GET',
        path: `/v3/jobs/notice/${seg(job)}/query`,
        idempotent: true,
        label,
      });
      const ack = ackOf(res, label);
      const result = (res.json as { result?: unknown }).result;
      if (!Array.isArray(result)) throw huaweiBadResponse(res, label, 'result is not a list');
      const settings = result.slice(0, 20).flatMap((item) => noticeSettingOf(item));
      return { ...ack, settings };
    },

    async disable(jobId, noticeType) {
      const job = assertJobId(jobId);
      const label = 'huawei.build.notice.disable';
      const res = await call({
        origin: endpoint,
        method: 'POST',
        path: `/v3/jobs/notice/${seg(job)}/disable`,
        query: { notice_type: noticeTypeFor(noticeType, noticeSpelling) },
        // Setting a switch: repeating it has the same effect, so retries are allowed.
        idempotent: true,
        label,
      });
      return ackOf(res, label);
    },

    async update(jobId, update: NoticeUpdate) {
      const job = assertJobId(jobId);
      const label = 'huawei.build.notice.update';
      const events = update.events.map((e) => {
        if (typeof e !== 'string' || !EVENT_NAME.test(e)) {
          throw new OpsError('INPUT.BAD_ARGUMENT', 'event names are letters, digits, ".", "_" or "-" (1-64)', {
            field: 'events',
          });
        }
        return e;
      });
      // UpdateNoticeRequestBody (huaweicloud-sdk-go-v3 services/codeartsbuild/v3/model/model_update_notice_request_body.go)
      // types send_switch and use_project_notice as strings. An update must switch sending on again after a disable,
      // and the job's own settings must apply rather than the project's. UNSETTLED: the docs name no values; "true"
      // and "false" are the string forms of the booleans the fields describe.
      const json: Record<string, unknown> = {
        notice_type: noticeTypeFor(update.noticeType, noticeSpelling),
        enabled_event_type_names: events,
        send_switch: 'true',
        use_project_notice: 'false',
      };
      if (update.paramConfig !== undefined) json.param_config = update.paramConfig;
      const res = await call({
        origin: endpoint,
        method: 'POST',
        path: `/v3/jobs/notice/${seg(job)}/update`,
        json,
        idempotent: true,
        label,
      });
      return ackOf(res, label);
    },
  };
}
