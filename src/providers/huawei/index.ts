import type { BuildNoticeProvider, CheckNoticeProvider, Clock, Logger, PipelineProvider } from '../../core/ports.js';
import type { HttpClient } from '../http.js';
import { createAkSkAuth, createTokenAuth, type HuaweiAuth } from './auth.js';
import { createHuaweiBuild, type NoticeSpelling } from './build.js';
import { createHuaweiCheck } from './check.js';
import { type HuaweiEndpoints, normalizeEndpoint } from './endpoints.js';
import { createIamTokenSource } from './iam-token.js';
import { createHuaweiPipeline } from './pipeline.js';

export type HuaweiAuthConfig =
  | { kind: 'aksk'; ak: string; sk: string; projectId: string; securityToken?: string }
  | { kind: 'token'; user: string; password: string; domain: string; projectId?: string };

export interface HuaweiConfig {
  region: string;
  auth: HuaweiAuthConfig;
  /** Usually `defaultHuaweiEndpoints(region, overrides)`. */
  endpoints: HuaweiEndpoints;
  noticeSpelling: NoticeSpelling;
  manualReviewTasks?: string[];
}

export interface HuaweiProviders {
  pipeline: PipelineProvider;
  build: BuildNoticeProvider;
  check: CheckNoticeProvider;
}

/**
 * Wires the three CodeArts clients with one shared authentication (one token cache for all of them).
 * @example
 * const huawei = createHuaweiProviders(
 *   { region: 'cn-north-4', auth: { kind: 'token', user, password, domain }, endpoints: defaultHuaweiEndpoints('cn-north-4'), noticeSpelling: 'current' },
 *   { http: createHttpClient(), now: Date.now, logger },
 * );
 * await huawei.pipeline.getRun(ref);
 */
export function createHuaweiProviders(
  config: HuaweiConfig,
  deps: { http: HttpClient; now: Clock; logger?: Logger },
): HuaweiProviders {
  const { http, now, logger } = deps;
  const endpoints: HuaweiEndpoints = {
    iam: normalizeEndpoint('iam', config.endpoints.iam),
    pipeline: normalizeEndpoint('pipeline', config.endpoints.pipeline),
    build: normalizeEndpoint('build', config.endpoints.build),
    check: normalizeEndpoint('check', config.endpoints.check),
  };
  const auth = createAuth(config, endpoints, http, now, logger);
  const pipelineOptions: Parameters<typeof createHuaweiPipeline>[0] = { http, endpoint: endpoints.pipeline, auth };
  if (logger) pipelineOptions.logger = logger;
  if (config.manualReviewTasks) pipelineOptions.manualReviewTasks = config.manualReviewTasks;
  return {
    pipeline: createHuaweiPipeline(pipelineOptions),
    build: createHuaweiBuild({ http, endpoint: endpoints.build, auth, noticeSpelling: config.noticeSpelling }),
    check: createHuaweiCheck({ http, endpoint: endpoints.check, auth }),
  };
}

function createAuth(
  config: HuaweiConfig,
  endpoints: HuaweiEndpoints,
  http: HttpClient,
  now: Clock,
  logger: Logger | undefined,
): HuaweiAuth {
  const a = config.auth;
  if (a.kind === 'aksk') {
    const creds = {
      ak: a.ak,
      sk: a.sk,
      projectId: a.projectId,
      ...(a.securityToken ? { securityToken: a.securityToken } : {}),
    };
    return createAkSkAuth(creds, now);
  }
  // Build refuses domain-scoped tokens, so the token is scoped to a project: the given id, else the region's project.
  const tokens = createIamTokenSource({
    http,
    iamEndpoint: endpoints.iam,
    user: a.user,
    password: a.password,
    domain: a.domain,
    project: a.projectId ? { id: a.projectId } : { name: config.region },
    now,
    ...(logger ? { logger } : {}),
  });
  return createTokenAuth(tokens, [a.password]);
}

export type { NoticeSpelling } from './build.js';
export { defaultHuaweiEndpoints, type HuaweiEndpoints } from './endpoints.js';
