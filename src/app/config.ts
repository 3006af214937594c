import { type Locale, toLocale } from '../core/i18n/index.js';
import { registerSecrets } from '../core/scrub.js';
import { defaultYunxiaoEndpoint, type YunxiaoConfig } from '../providers/aliyun/index.js';
import { defaultHuaweiEndpoints } from '../providers/huawei/endpoints.js';
import type { HuaweiConfig } from '../providers/huawei/index.js';
import { bad, type Env, type Get, int, need, readVar, url } from './env.js';

/**
 * Configuration from the environment, validated once at start. Every problem names its variable and never echoes a
 * value. Only configured clouds are enabled. The full reference table is in the README.
 */
export interface AppConfig {
  locale: Locale;
  policyPath?: string;
  huawei?: HuaweiConfig;
  yunxiao?: YunxiaoConfig;
  /** Which variables enable each cloud, for CONFIG.CLOUD_DISABLED messages. */
  enableHints: { huawei: string; yunxiao: string };
  http: { connectTimeoutMs: number; requestTimeoutMs: number; retries: number };
}

export const HUAWEI_HINT =
  'HUAWEI_REGION and HUAWEI_AK/HUAWEI_SK/HUAWEI_PROJECT_ID (or HUAWEI_AUTH=token with HUAWEI_IAM_USER/HUAWEI_IAM_PASSWORD/HUAWEI_IAM_DOMAIN)';
export const YUNXIAO_HINT =
  'YUNXIAO_ORGANIZATION_ID and ALIYUN_ACCESS_KEY_ID/ALIYUN_ACCESS_KEY_SECRET (or YUNXIAO_API=rdc with YUNXIAO_TOKEN)';

export function loadConfig(env: Env, readFile?: (path: string) => string): AppConfig {
  const v = (name: string) => readVar(env, name, readFile);
  const locale = v('OPSGATE_LOCALE');
  if (locale !== undefined && locale !== 'en' && locale !== 'zh-CN') bad('OPSGATE_LOCALE', 'en or zh-CN');
  const config: AppConfig = {
    locale: toLocale(locale, 'en'),
    enableHints: { huawei: HUAWEI_HINT, yunxiao: YUNXIAO_HINT },
    http: {
      connectTimeoutMs: int(v, 'OPSGATE_HTTP_CONNECT_TIMEOUT_MS', 5_000, 1, 600_000),
      requestTimeoutMs: int(v, 'OPSGATE_HTTP_TIMEOUT_MS', 15_000, 1, 600_000),
      retries: int(v, 'OPSGATE_HTTP_RETRIES', 3, 0, 10),
    },
  };
  const policy = v('OPSGATE_POLICY');
  if (policy) config.policyPath = policy;
  const huawei = loadHuawei(v);
  if (huawei) config.huawei = huawei;
  const yunxiao = loadYunxiao(v);
  if (yunxiao) config.yunxiao = yunxiao;
  registerSecrets(cloudSecrets(config));
  return config;
}

/** The secret values of the cloud configuration, for the scrubber (src/core/scrub.ts). */
export function cloudSecrets(config: AppConfig): Array<string | undefined> {
  const hw = config.huawei?.auth;
  const yx = config.yunxiao;
  return [
    hw?.kind === 'aksk' ? hw.sk : undefined,
    hw?.kind === 'aksk' ? hw.securityToken : undefined,
    hw?.kind === 'token' ? hw.password : undefined,
    yx && 'accessKeySecret' in yx ? yx.accessKeySecret : undefined,
    yx && 'token' in yx ? yx.token : undefined,
  ];
}

function loadHuawei(v: Get): HuaweiConfig | undefined {
  const auth = v('HUAWEI_AUTH') ?? (v('HUAWEI_AK') ? 'aksk' : v('HUAWEI_IAM_USER') ? 'token' : undefined);
  if (auth === undefined) return undefined;
  if (auth !== 'aksk' && auth !== 'token') bad('HUAWEI_AUTH', 'aksk or token');
  const region = v('HUAWEI_REGION') ?? 'cn-north-4';
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/.test(region)) bad('HUAWEI_REGION', 'a region such as cn-north-4');
  const endpointOverrides = {
    ...opt('iam', url(v, 'HUAWEI_IAM_ENDPOINT')),
    ...opt('pipeline', url(v, 'HUAWEI_PIPELINE_ENDPOINT')),
    ...opt('build', url(v, 'HUAWEI_BUILD_ENDPOINT')),
    ...opt('check', url(v, 'HUAWEI_CHECK_ENDPOINT')),
  };
  const endpoints = defaultHuaweiEndpoints(region, endpointOverrides);
  const spelling = v('HUAWEI_BUILD_NOTICE_SPELLING') ?? 'legacy';
  if (spelling !== 'legacy' && spelling !== 'current') return bad('HUAWEI_BUILD_NOTICE_SPELLING', 'legacy or current');
  const tasks = list(v, 'HUAWEI_MANUAL_REVIEW_TASKS');
  const delayTasks = list(v, 'HUAWEI_DELAY_TASKS');
  const stageCheckTasks = list(v, 'HUAWEI_STAGE_CHECK_TASKS');
  const unit = v('HUAWEI_REVIEW_TIMEOUT_UNIT') ?? 'minutes';
  if (unit !== 'minutes' && unit !== 'hours' && unit !== 'seconds')
    bad('HUAWEI_REVIEW_TIMEOUT_UNIT', 'minutes, hours or seconds');
  const projectIds = projectIdMap(v('HUAWEI_PROJECT_IDS'));
  const projectId = v('HUAWEI_PROJECT_ID') ?? projectIds[region];
  if (projectId !== undefined && !/^[A-Za-z0-9]{1,64}$/.test(projectId)) bad('HUAWEI_PROJECT_ID', 'letters and digits');
  const base = {
    region,
    endpoints,
    endpointOverrides,
    ...(Object.keys(projectIds).length > 0 ? { projectIds } : {}),
    noticeSpelling: spelling as HuaweiConfig['noticeSpelling'],
    reviewTimeoutUnit: unit as NonNullable<HuaweiConfig['reviewTimeoutUnit']>,
    ...(tasks?.length ? { manualReviewTasks: tasks } : {}),
    ...(delayTasks?.length ? { delayTasks } : {}),
    ...(stageCheckTasks?.length ? { stageCheckTasks } : {}),
  };
  if (auth === 'aksk') {
    const ak = need(v, 'HUAWEI_AK');
    const sk = need(v, 'HUAWEI_SK');
    if (!projectId) bad('HUAWEI_PROJECT_ID', `the IAM project ID of ${region} (required with AK/SK)`);
    const securityToken = v('HUAWEI_SECURITY_TOKEN');
    return { ...base, auth: { kind: 'aksk', ak, sk, projectId, ...(securityToken ? { securityToken } : {}) } };
  }
  return {
    ...base,
    auth: {
      kind: 'token',
      user: need(v, 'HUAWEI_IAM_USER'),
      password: need(v, 'HUAWEI_IAM_PASSWORD'),
      domain: need(v, 'HUAWEI_IAM_DOMAIN'),
      ...(projectId ? { projectId } : {}),
    },
  };
}

function loadYunxiao(v: Get): YunxiaoConfig | undefined {
  const api = v('YUNXIAO_API') ?? (v('ALIYUN_ACCESS_KEY_ID') ? 'devops' : v('YUNXIAO_TOKEN') ? 'rdc' : undefined);
  if (api === undefined) return undefined;
  if (api !== 'devops' && api !== 'rdc') bad('YUNXIAO_API', 'devops or rdc');
  const endpoint = url(v, 'YUNXIAO_ENDPOINT') ?? defaultYunxiaoEndpoint(api);
  const organizationId = v('YUNXIAO_ORGANIZATION_ID');
  if (organizationId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(organizationId)) {
    bad('YUNXIAO_ORGANIZATION_ID', 'letters, digits, - or _');
  }
  const base = { api, endpoint, ...(organizationId ? { organizationId } : {}) } as const;
  if (api === 'devops') {
    return {
      ...base,
      accessKeyId: need(v, 'ALIYUN_ACCESS_KEY_ID'),
      accessKeySecret: need(v, 'ALIYUN_ACCESS_KEY_SECRET'),
    };
  }
  const edition = v('YUNXIAO_RDC_EDITION') ?? 'cloud';
  if (edition !== 'cloud' && edition !== 'region') bad('YUNXIAO_RDC_EDITION', 'cloud or region');
  return { ...base, token: need(v, 'YUNXIAO_TOKEN'), rdcEdition: edition };
}

/** A comma-separated list of plugin task names. */
function list(v: Get, name: string): string[] | undefined {
  const value = v(name);
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.some((t) => !/^[A-Za-z0-9_.-]{1,128}$/.test(t))) bad(name, 'comma-separated plugin task names');
  return items;
}

/** `HUAWEI_PROJECT_IDS=cn-north-4:<id>,ap-southeast-1:<id>`: the IAM project of each further region. */
function projectIdMap(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [region, id, ...rest] = pair.split(':');
    if (
      rest.length > 0 ||
      !region ||
      !id ||
      !/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/.test(region) ||
      !/^[A-Za-z0-9]{1,64}$/.test(id)
    ) {
      bad(
        'HUAWEI_PROJECT_IDS',
        'region:project-id pairs separated by commas (e.g. cn-north-4:0123…,ap-southeast-1:4567…)',
      );
    }
    out[region] = id;
  }
  return out;
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
