import { type FakeRequest, type FakeResponse, type FakeRoute, findRoute, json, requestId } from './fake-http.js';
import { createYunxiaoRuns, type YunxiaoDecision, type YunxiaoRuns } from './fake-yunxiao-runs.js';
import { createAcs3Verifier } from './verify-acs3.js';

/** Credentials the fake Alibaba Cloud account accepts (defaults below when the test gives none). */
export interface AliyunCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** Personal access token for openapi-rdc (x-yunxiao-token). */
  token: string;
}

export const DEFAULT_ALIYUN_CREDENTIALS: AliyunCredentials = {
  accessKeyId: 'FAKEALIYUNAK0001',
  accessKeySecret: 'fake-aliyun-secret',
  token: 'pt-fake-yunxiao-token',
};

const VERSION = '2021-06-25';
const DEVOPS_RUN = '/organization/:org/pipelines/:pipelineId/pipelineRuns/:runId';
const ACTIONS = { pass: 'PassPipelineValidate', refuse: 'RefusePipelineValidate' } as const;

/**
 * The fake Yunxiao: devops 2021-06-25 (ACS3-signed, answers carry x-acs-request-id) and openapi-rdc
 * (x-yunxiao-token, cloud and region editions, answers carry x-request-id) over the same run state.
 */
export function createFakeYunxiao(credentials: Partial<AliyunCredentials> | undefined, now: () => number) {
  const creds: AliyunCredentials = { ...DEFAULT_ALIYUN_CREDENTIALS, ...credentials };
  const runs = createYunxiaoRuns(now);
  const verifier = createAcs3Verifier({
    secretFor: (id) => (id === creds.accessKeyId ? creds.accessKeySecret : undefined),
    now,
  });
  const devops = devopsRoutes(runs);
  const rdc = rdcRoutes(runs);

  function handleDevops(req: FakeRequest, id: string): FakeResponse {
    const gateway = (status: number, Code: string, Message: string) => json(status, { RequestId: id, Code, Message });
    const found = findRoute(devops, req);
    if (!found)
      return gateway(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    req.call.action = found.route.action;
    if (req.headers['x-acs-action'] !== found.route.action) {
      return gateway(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    }
    if (req.headers['x-acs-version'] !== VERSION) {
      return gateway(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    }
    const verdict = verifier.verify(req);
    if (!verdict.ok)
      return gateway(verdict.code === 'InvalidAccessKeyId.NotFound' ? 404 : 400, verdict.code, verdict.message);
    const res = found.route.run(found.params, req);
    return { ...res, body: { requestId: id, ...(res.body as object) } };
  }

  function handleRdc(req: FakeRequest, id: string): FakeResponse {
    const found = findRoute(rdc, req);
    if (!found) return json(404, { errorCode: 'NotFound', errorMessage: 'api not found', requestId: id });
    req.call.action = found.route.action;
    if (req.headers['x-yunxiao-token'] !== creds.token) {
      return json(401, { errorCode: 'Unauthorized', errorMessage: 'invalid token', requestId: id });
    }
    const res = found.route.run(found.params, req);
    return res.status < 400 ? res : { ...res, body: { ...(res.body as object), requestId: id } };
  }

  return {
    handle(req: FakeRequest): FakeResponse {
      const id = requestId();
      if (req.call.service === 'devops') {
        const res = handleDevops(req, id);
        return { ...res, headers: { ...res.headers, 'x-acs-request-id': id } };
      }
      const res = handleRdc(req, id);
      return { ...res, headers: { ...res.headers, 'x-request-id': id } };
    },
    credentials: creds,
    /** Organization the seeds use unless told otherwise. */
    organizationId: runs.defaultOrganizationId,
    addRun: runs.addRun,
    job: runs.job,
    run: runs.run,
    finishRun: runs.finishRun,
  };
}

export type FakeYunxiao = Omit<ReturnType<typeof createFakeYunxiao>, 'handle'>;

/** Error body of a refused decision, in the devops (`success:false`) or rdc shape. */
function decisionError(result: Exclude<YunxiaoDecision, 'ok'>, devopsShape: boolean): FakeResponse {
  const [status, errorCode, errorMessage] =
    result === 'not-waiting'
      ? [400, 'InvalidParam.ParamNotPresent', 'job is not waiting for validation']
      : result === 'no-job'
        ? [404, 'InvalidJob.NotFound', 'The job is not found.']
        : [404, result.missing, 'The resource is not found.'];
  return json(status, devopsShape ? { success: false, errorCode, errorMessage } : { errorCode, errorMessage });
}

function devopsRoutes(runs: YunxiaoRuns): FakeRoute[] {
  const decide = (kind: 'pass' | 'refuse'): FakeRoute => ({
    method: 'POST',
    pattern: `${DEVOPS_RUN}/jobs/:jobId/${kind}`,
    action: ACTIONS[kind],
    run: (p) => {
      const ids = { organizationId: p.org, pipelineId: p.pipelineId ?? '', runId: p.runId ?? '', jobId: p.jobId ?? '' };
      const result = runs.decide(ids, kind);
      if (result !== 'ok') return decisionError(result, true);
      return json(200, { success: true, errorCode: '', errorMessage: '' });
    },
  });
  return [
    {
      method: 'GET',
      pattern: DEVOPS_RUN,
      action: 'GetPipelineRun',
      run: (p) => {
        const looked = runs.lookup(p.org, p.pipelineId ?? '', p.runId ?? '');
        if ('missing' in looked) return decisionError(looked, true);
        return json(200, { success: true, pipelineRun: looked.found });
      },
    },
    decide('refuse'),
    decide('pass'),
  ];
}

function rdcRoutes(runs: YunxiaoRuns): FakeRoute[] {
  const routes: FakeRoute[] = [];
  for (const prefix of ['/oapi/v1/flow/organizations/:org', '/oapi/v1/flow']) {
    // ListPipelines (https://www.alibabacloud.com/help/doc-detail/2854231.html): an array of
    // {pipelineName, pipelineId, createAccountId, createTime} (alibabacloud-devops-mcp-server types.ts).
    routes.push({
      method: 'GET',
      pattern: `${prefix}/pipelines`,
      action: 'ListPipelines',
      run: () => json(200, []),
    });
    routes.push({
      method: 'GET',
      pattern: `${prefix}/pipelines/:pipelineId/runs/:runId`,
      action: 'GetPipelineRun',
      run: (p) => {
        const looked = runs.lookup(p.org, p.pipelineId ?? '', p.runId ?? '');
        return 'missing' in looked ? decisionError(looked, false) : json(200, looked.found);
      },
    });
    for (const kind of ['refuse', 'pass'] as const) {
      routes.push({
        method: 'POST',
        pattern: `${prefix}/pipelines/:pipelineId/pipelineRuns/:runId/jobs/:jobId/${kind}`,
        action: ACTIONS[kind],
        run: (p) => {
          const ids = {
            organizationId: p.org,
            pipelineId: p.pipelineId ?? '',
            runId: p.runId ?? '',
            jobId: p.jobId ?? '',
          };
          const result = runs.decide(ids, kind);
          return result === 'ok' ? json(200, true) : decisionError(result, false);
        },
      });
    }
  }
  return routes;
}
