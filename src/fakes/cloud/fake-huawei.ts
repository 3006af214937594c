import { type FakeRequest, type FakeResponse, type FakeRoute, findRoute, json, requestId } from './fake-http.js';
import { createHuaweiIam, DEFAULT_HUAWEI_CREDENTIALS, type HuaweiCredentials } from './fake-huawei-iam.js';
import { createHuaweiNotices } from './fake-huawei-notices.js';
import { createHuaweiRuns, type FakeAction, type HuaweiRuns, type HuaweiRunsOptions } from './fake-huawei-runs.js';

/**
 * The fake Huawei Cloud: IAM tokens, CodeArts Pipeline, Build and Check behind one handler. Every answer carries
 * X-Request-Id; unknown APIs answer APIGW.0101 before authentication, as the API gateway does.
 */
export function createFakeHuawei(
  credentials: Partial<HuaweiCredentials> | undefined,
  now: () => number,
  runOptions: HuaweiRunsOptions = {},
) {
  const creds: HuaweiCredentials = { ...DEFAULT_HUAWEI_CREDENTIALS, ...credentials };
  const iam = createHuaweiIam(creds, now);
  const runs = createHuaweiRuns(now, runOptions);
  const notices = createHuaweiNotices(iam.domainId);
  const routes = [...pipelineRoutes(runs), ...notices.routes];

  function handle(req: FakeRequest): FakeResponse {
    const res = route(req);
    return { ...res, headers: { ...res.headers, 'X-Request-Id': requestId() } };
  }

  function route(req: FakeRequest): FakeResponse {
    if (req.call.service === 'iam') {
      req.call.action = req.method === 'GET' ? 'projects' : 'token';
      if (req.method === 'POST') return iam.issue(req);
      if (req.method === 'GET' && req.path === '/v3/projects') return iam.authenticate(req) ?? iam.projects(req);
    }
    const found = req.call.service === 'iam' ? undefined : findRoute(routes, req);
    if (!found) {
      return json(404, {
        error_code: 'APIGW.0101',
        error_msg: 'The API does not exist or has not been published in the environment',
      });
    }
    req.call.action = found.route.action;
    return iam.authenticate(req) ?? found.route.run(found.params, req);
  }

  return {
    handle,
    credentials: creds,
    /** Tenant (account) ID; the Check tenant configuration answers for it. */
    domainId: iam.domainId,
    /** IAM project ID the tokens are scoped to (X-Project-Id for AK/SK). */
    iamProjectId: iam.iamProjectId,
    get iamTokenRequests() {
      return iam.tokenRequests;
    },
    expireTokens: iam.expireTokens,
    /** The project scope of every token request (`{id}` or `{name}`), to check per-region tokens. */
    get tokenScopes() {
      return iam.tokenScopes;
    },
    /** Accepts a further region's IAM project (a token scoped to it, or X-Project-Id). */
    addIamProject: iam.addProject,
    addRun: runs.addRun,
    review: runs.review,
    run: runs.run,
    finishRun: runs.finishRun,
    addBuildJob: notices.addBuildJob,
    buildJob: notices.buildJob,
    setCheckConfig: notices.setCheckConfig,
  };
}

export type FakeHuawei = Omit<ReturnType<typeof createFakeHuawei>, 'handle'>;

const RUN = '/v5/:projectId/api/pipelines/:pipelineId/pipeline-runs';

/**
 * Pipeline routes. Action paths: terraform-provider-huaweicloud
 * `huaweicloud/services/codeartspipeline/resource_huaweicloud_codearts_pipeline_action.go` (`actionHttpUrl`); the
 * review answer `{"success":true}`: SDK `model_accept_manual_review_response.go`. Not found: `DEVPIPE.00011401`
 * (`codeartspipeline/common.go`, pipelineNotFoundError; the run-level code is not public). A decision on a gate that
 * no longer waits: 400 `DEVPIPE.00011104` (unconfirmed code; the provider maps any 400 the same way).
 */
function pipelineRoutes(runs: HuaweiRuns): FakeRoute[] {
  const notFound = () => json(404, { error_code: 'DEVPIPE.00011401', error_msg: 'The pipeline does not exist.' });
  const decision = (action: FakeAction): FakeRoute => {
    const stageCheck = action === 'manual-pass' || action === 'manual-refuse';
    const tail = stageCheck ? `manual/${action.slice('manual-'.length)}` : action;
    return {
      method: 'POST',
      pattern: stageCheck
        ? `${RUN}/:runId/steps/:stepRunId/${tail}`
        : `${RUN}/:runId/jobs/:jobRunId/steps/:stepRunId/${tail}`,
      action,
      run: (p) => {
        const ids = {
          projectId: p.projectId ?? '',
          pipelineId: p.pipelineId ?? '',
          runId: p.runId ?? '',
          stepRunId: p.stepRunId ?? '',
          ...(stageCheck ? {} : { jobRunId: p.jobRunId ?? '' }),
        };
        const result = runs.decide(ids, action);
        if (result === 'not-found') return notFound();
        if (result === 'not-waiting') {
          return json(400, {
            error_code: 'DEVPIPE.00011104',
            error_msg: 'The manual review has already been processed.',
          });
        }
        return json(200, { success: true });
      },
    };
  };
  return [
    {
      method: 'GET',
      pattern: `${RUN}/detail`,
      action: 'detail',
      run: (p, req) => {
        const detail = runs.detail(
          p.projectId ?? '',
          p.pipelineId ?? '',
          req.query.get('pipeline_run_id') ?? undefined,
        );
        return detail ? json(200, detail) : notFound();
      },
    },
    ...(['refuse', 'pass', 'delay-pass', 'delay-refuse', 'delay', 'manual-pass', 'manual-refuse'] as const).map(
      decision,
    ),
  ];
}
