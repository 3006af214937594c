import type { BuildNoticeProvider, CheckNoticeProvider, Clock, Logger, PipelineProvider } from '../../core/ports.js';
import type { HttpClient } from '../../net/http-client.js';
import { createAkSkAuth, createTokenAuth, type HuaweiAuth } from './auth.js';
import { createHuaweiBuild, type NoticeSpelling } from './build.js';
import { createHuaweiCheck } from './check.js';
import { defaultHuaweiEndpoints, type HuaweiEndpoints, normalizeEndpoint } from './endpoints.js';
import type { GateTasks, TimeoutUnit } from './gates.js';
import { createIamTokenSource } from './iam-token.js';
import { createHuaweiPipeline } from './pipeline.js';
import { probeIam } from './probe.js';
import { createRegionRouter } from './regions.js';

export type HuaweiAuthConfig =
  | { kind: 'aksk'; ak: string; sk: string; projectId: string; securityToken?: string }
  | { kind: 'token'; user: string; password: string; domain: string; projectId?: string };

export interface HuaweiConfig {
  /** The default region: Build, Check and runs named without a URL go here. */
  region: string;
  auth: HuaweiAuthConfig;
  /** Usually `defaultHuaweiEndpoints(region, overrides)`. */
  endpoints: HuaweiEndpoints;
  /** Explicit endpoint overrides (HUAWEI_*_ENDPOINT); they apply to every region (proxies, tests). */
  endpointOverrides?: Partial<HuaweiEndpoints>;
  /** IAM project id per further region (HUAWEI_PROJECT_IDS); a run in a region not here (nor `region`) is refused. */
  projectIds?: Record<string, string>;
  noticeSpelling: NoticeSpelling;
  manualReviewTasks?: string[];
  delayTasks?: string[];
  stageCheckTasks?: string[];
  reviewTimeoutUnit?: TimeoutUnit;
}

export interface HuaweiProviders {
  pipeline: PipelineProvider;
  build: BuildNoticeProvider;
  check: CheckNoticeProvider;
}

interface Deps {
  http: HttpClient;
  now: Clock;
  logger?: Logger;
}

/**
 * Wires the CodeArts clients. Each region gets its own endpoints and its own authentication (IAM token scoped to that
 * region's project, one token cache per region; AK/SK with that region's X-Project-Id). A pasted run URL names its
 * region, and the pipeline client of that region answers.
 * @example
 * const huawei = createHuaweiProviders(
 *   { region: 'cn-north-4', auth: { kind: 'token', user, password, domain }, endpoints: defaultHuaweiEndpoints('cn-north-4'), noticeSpelling: 'current' },
 *   { http: createHttpClient(), now: Date.now, logger },
 * );
 * await huawei.pipeline.getRun(ref);
 */
export function createHuaweiProviders(config: HuaweiConfig, deps: Deps): HuaweiProviders {
  const { http, logger } = deps;
  const endpointsOf = (region: string): HuaweiEndpoints => {
    if (region === config.region) {
      return {
        iam: normalizeEndpoint('iam', config.endpoints.iam),
        pipeline: normalizeEndpoint('pipeline', config.endpoints.pipeline),
        build: normalizeEndpoint('build', config.endpoints.build),
        check: normalizeEndpoint('check', config.endpoints.check),
      };
    }
    return defaultHuaweiEndpoints(region, config.endpointOverrides ?? {});
  };
  const gateTasks: Partial<GateTasks> = {
    ...(config.manualReviewTasks ? { review: config.manualReviewTasks } : {}),
    ...(config.delayTasks ? { delay: config.delayTasks } : {}),
    ...(config.stageCheckTasks ? { stageCheck: config.stageCheckTasks } : {}),
  };
  const regional = (region: string) => {
    const endpoints = endpointsOf(region);
    const auth = createAuth(config, region, endpoints, deps);
    const pipeline = createHuaweiPipeline({
      http,
      endpoint: endpoints.pipeline,
      auth,
      gateTasks,
      ...(config.reviewTimeoutUnit ? { reviewTimeoutUnit: config.reviewTimeoutUnit } : {}),
      ...(logger ? { logger } : {}),
    });
    return { endpoints, auth, pipeline };
  };
  const home = regional(config.region);
  const router = createRegionRouter({
    home: config.region,
    regions: [config.region, ...Object.keys(config.projectIds ?? {})],
    create: (region) => (region === config.region ? home : regional(region)),
    probe: (region, r) =>
      probeIam({ http, auth: r.auth, iam: r.endpoints.iam, region, projectId: projectIdFor(config, region) }),
  });
  return {
    pipeline: router,
    build: createHuaweiBuild({
      http,
      endpoint: home.endpoints.build,
      auth: home.auth,
      noticeSpelling: config.noticeSpelling,
    }),
    check: createHuaweiCheck({ http, endpoint: home.endpoints.check, auth: home.auth }),
  };
}

/** The IAM project of a region: HUAWEI_PROJECT_IDS first, then HUAWEI_PROJECT_ID for the default region. */
function projectIdFor(config: HuaweiConfig, region: string): string | undefined {
  return config.projectIds?.[region] ?? (region === config.region ? config.auth.projectId : undefined);
}

function createAuth(config: HuaweiConfig, region: string, endpoints: HuaweiEndpoints, deps: Deps): HuaweiAuth {
  const a = config.auth;
  const projectId = projectIdFor(config, region);
  if (a.kind === 'aksk') {
    const creds = {
      ak: a.ak,
      sk: a.sk,
      // config validation makes sure every configured region has a project id in AK/SK mode.
      projectId: projectId ?? a.projectId,
      ...(a.securityToken ? { securityToken: a.securityToken } : {}),
    };
    return createAkSkAuth(creds, deps.now);
  }
  // Build refuses domain-scoped tokens, so the token is scoped to a project: the region's id, else the region by name.
  const tokens = createIamTokenSource({
    http: deps.http,
    iamEndpoint: endpoints.iam,
    user: a.user,
    password: a.password,
    domain: a.domain,
    project: projectId ? { id: projectId } : { name: region },
    now: deps.now,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  return createTokenAuth(tokens, [a.password]);
}

export type { NoticeSpelling } from './build.js';
export { defaultHuaweiEndpoints, type HuaweiEndpoints } from './endpoints.js';
