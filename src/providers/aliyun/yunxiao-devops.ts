import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type Decision,
  type Logger,
  type ManualReview,
  type PipelineProvider,
  type ProviderAck,
  type RunView,
  silentLogger,
} from '../../core/ports.js';
import { assertNumericId, type RunRef } from '../../core/targets.js';
import { type HttpClient, type HttpResponse, seg } from '../../net/http-client.js';
import { signAcs3 } from './acs3-signer.js';
import {
  asYunxiaoRef,
  endpointOrigin,
  expectSuccess,
  organizationOf,
  yunxiaoVerb,
  requestIdOf,
  requireJson,
  runIds,
} from './common.js';
import { badResponse } from './errors.js';
import { inspectYunxiaoRun } from './run-inspect.js';
import { parseYunxiaoRun } from './run-parser.js';

/** OpenAPI product `devops`, ROA style, version 2021-06-25 (docs/reference/aliyun-yunxiao.md §A). */
export const DEVOPS_API_VERSION = '2021-06-25';
/** Decisions carry an empty JSON object: the API takes every parameter from the path; the signature covers `{}`. */
const DECISION_BODY = '{}';
const JSON_TYPE = 'application/json; charset=utf-8';

export interface YunxiaoDevopsOptions {
  http: HttpClient;
  /** e.g. https://devops.cn-hangzhou.aliyuncs.com */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  defaultOrganizationId?: string;
  now: Clock;
  /** Fresh per attempt (x-acs-signature-nonce is the replay guard). Default: a random UUID without dashes. */
  nonce?: () => string;
  logger?: Logger;
}

/**
 * Yunxiao through the Alibaba Cloud OpenAPI gateway, signed with ACS3-HMAC-SHA256.
 * @example
 * const yunxiao = createYunxiaoDevops({ http, endpoint: 'https://devops.cn-hangzhou.aliyuncs.com',
 *   accessKeyId, accessKeySecret, defaultOrganizationId: '5ebbc0228123212b59xxxxx', now: Date.now });
 * const run = await yunxiao.getRun({ cloud: 'yunxiao', pipelineId: '123', runId: '45' });
 */
export function createYunxiaoDevops(options: YunxiaoDevopsOptions): PipelineProvider {
  const { http, accessKeyId, accessKeySecret, now } = options;
  const origin = endpointOrigin(options.endpoint);
  const nonce = options.nonce ?? (() => randomUUID().replace(/-/g, ''));
  const logger = (options.logger ?? silentLogger).child({ provider: 'yunxiao', api: 'devops' });

  function runPath(ref: RunRef): string {
    const y = asYunxiaoRef(ref);
    const org = organizationOf(y, options.defaultOrganizationId);
    const { pipelineId, runId } = runIds(y);
    return `/organization/${seg(org)}/pipelines/${seg(pipelineId)}/pipelineRuns/${seg(runId)}`;
  }

  async function call(
    method: 'GET' | 'POST',
    path: string,
    action: string,
    label: string,
    idempotent: boolean,
  ): Promise<HttpResponse> {
    const post = method === 'POST';
    return http.request({
      origin,
      method,
      path,
      headers: post ? { accept: 'application/json', 'content-type': JSON_TYPE } : { accept: 'application/json' },
      ...(post ? { body: DECISION_BODY } : {}),
      idempotent,
      label,
      sign: (req) =>
        signAcs3({
          ...req,
          accessKeyId,
          accessKeySecret,
          date: new Date(now()),
          nonce: nonce(),
          action,
          version: DEVOPS_API_VERSION,
        }),
    });
  }

  return {
    cloud: 'yunxiao',

    async getRun(ref: RunRef): Promise<RunView> {
      const label = 'yunxiao.devops.getRun';
      const res = await call('GET', runPath(ref), 'GetPipelineRun', label, true);
      expectSuccess(res, label);
      return parseYunxiaoRun(requireJson(res, label), asYunxiaoRef(ref), label);
    },

    async inspect(ref: RunRef) {
      const label = 'yunxiao.devops.getRun';
      const res = await call('GET', runPath(ref), 'GetPipelineRun', label, true);
      expectSuccess(res, label);
      return inspectYunxiaoRun(requireJson(res, label), asYunxiaoRef(ref));
    },

    async decide(ref: RunRef, review: ManualReview, decision: Decision): Promise<ProviderAck> {
      const verb = yunxiaoVerb(decision);
      const label = `yunxiao.devops.${verb}`;
      const path = `${runPath(ref)}/jobs/${seg(assertNumericId('job', review.jobId))}/${verb}`;
      const action = verb === 'pass' ? 'PassPipelineValidate' : 'RefusePipelineValidate';
      const res = await call('POST', path, action, label, false);
      expectSuccess(res, label);
      const body = requireJson(res, label);
      if (typeof body !== 'object' || body === null || (body as { success?: unknown }).success !== true) {
        throw badResponse(res, label, 'answer does not say success');
      }
      const requestId = requestIdOf(res);
      logger.info({ label, pipelineId: ref.pipelineId, runId: ref.runId, jobId: review.jobId, requestId }, 'decided');
      return requestId === undefined ? {} : { requestId };
    },
  };
}
