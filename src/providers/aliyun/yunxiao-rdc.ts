import { toOpsError } from '../../core/errors.js';
import {
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

export interface YunxiaoRdcOptions {
  http: HttpClient;
  /** e.g. https://openapi-rdc.aliyuncs.com, or a self-hosted (region) edition's address. */
  endpoint: string;
  /** Personal access token (`pt-…`), sent as `x-yunxiao-token`. */
  token: string;
  defaultOrganizationId?: string;
  /** `region`: self-hosted editions, whose paths omit `/organizations/{org}` (docs/reference/aliyun-yunxiao.md §B). */
  edition: 'cloud' | 'region';
  logger?: Logger;
}

/** The decision answer is undocumented (a boolean is likely): accept the plausible "yes" shapes only. */
function saysYes(body: unknown): boolean {
  if (body === true) return true;
  if (typeof body !== 'object' || body === null) return false;
  const b = body as { success?: unknown; result?: unknown };
  return b.success === true || b.result === true;
}

/**
 * Yunxiao OpenAPI (openapi-rdc) with a personal access token.
 * @example
 * const yunxiao = createYunxiaoRdc({ http, endpoint: 'https://openapi-rdc.aliyuncs.com', token, edition: 'cloud',
 *   defaultOrganizationId: '5ebbc0228123212b59xxxxx' });
 * await yunxiao.decide(ref, run.reviews[0], 'reject');
 */
export function createYunxiaoRdc(options: YunxiaoRdcOptions): PipelineProvider {
  const { http, token, edition } = options;
  const origin = endpointOrigin(options.endpoint);
  const logger = (options.logger ?? silentLogger).child({ provider: 'yunxiao', api: 'rdc' });

  function base(ref: RunRef): { prefix: string; pipelineId: string; runId: string } {
    const y = asYunxiaoRef(ref);
    const flow =
      edition === 'region'
        ? '/oapi/v1/flow'
        : `/oapi/v1/flow/organizations/${seg(organizationOf(y, options.defaultOrganizationId))}`;
    const { pipelineId, runId } = runIds(y);
    return { prefix: `${flow}/pipelines/${seg(pipelineId)}`, pipelineId, runId };
  }

  function call(method: 'GET' | 'POST', path: string, label: string, idempotent: boolean): Promise<HttpResponse> {
    // Decisions have no body: every parameter is in the path.
    const headers = { accept: 'application/json', 'x-yunxiao-token': token };
    return http.request({ origin, method, path, headers, idempotent, label });
  }

  return {
    cloud: 'yunxiao',

    async getRun(ref: RunRef): Promise<RunView> {
      const label = 'yunxiao.rdc.getRun';
      const { prefix, runId } = base(ref);
      const res = await call('GET', `${prefix}/runs/${seg(runId)}`, label, true);
      expectSuccess(res, label);
      return parseYunxiaoRun(requireJson(res, label), asYunxiaoRef(ref), label);
    },

    /**
     * Read-only check: ListPipelines, one item (`GET …/pipelines?perPage=1&page=1`, an array of
     * `{pipelineName, pipelineId, createAccountId, createTime}`: https://www.alibabacloud.com/help/doc-detail/2854231.html,
     * alibabacloud-devops-mcp-server `operations/flow/pipeline.ts` listPipelinesFunc, `types.ts` PipelineListItemSchema).
     */
    async probe() {
      const name = `yunxiao rdc: ${origin} (token)`;
      const org = options.defaultOrganizationId;
      if (edition === 'cloud' && !org) {
        return [{ name, ok: true, detail: 'no YUNXIAO_ORGANIZATION_ID: pass a run URL to check the token' }];
      }
      const flow = edition === 'region' ? '/oapi/v1/flow' : `/oapi/v1/flow/organizations/${seg(org ?? '')}`;
      try {
        const res = await http.request({
          origin,
          method: 'GET',
          path: `${flow}/pipelines`,
          query: { perPage: 1, page: 1 },
          headers: { accept: 'application/json', 'x-yunxiao-token': token },
          idempotent: true,
          label: 'yunxiao.rdc.listPipelines',
        });
        expectSuccess(res, 'yunxiao.rdc.listPipelines');
        return [{ name, ok: true, detail: 'token accepted (ListPipelines)' }];
      } catch (err) {
        const e = toOpsError(err);
        return [{ name, ok: false, detail: `${e.code}: ${e.message}` }];
      }
    },

    async inspect(ref: RunRef) {
      const label = 'yunxiao.rdc.getRun';
      const { prefix, runId } = base(ref);
      const res = await call('GET', `${prefix}/runs/${seg(runId)}`, label, true);
      expectSuccess(res, label);
      return inspectYunxiaoRun(requireJson(res, label), asYunxiaoRef(ref));
    },

    async decide(ref: RunRef, review: ManualReview, decision: Decision): Promise<ProviderAck> {
      const verb = yunxiaoVerb(decision);
      const label = `yunxiao.rdc.${verb}`;
      const { prefix, runId } = base(ref);
      const jobId = assertNumericId('job', review.jobId);
      const res = await call('POST', `${prefix}/pipelineRuns/${seg(runId)}/jobs/${seg(jobId)}/${verb}`, label, false);
      expectSuccess(res, label);
      if (!saysYes(res.json)) throw badResponse(res, label, 'answer does not say the decision was taken');
      const requestId = requestIdOf(res);
      logger.info({ label, pipelineId: ref.pipelineId, runId: ref.runId, jobId, requestId }, 'decided');
      return requestId === undefined ? {} : { requestId };
    },
  };
}
