import { OpsError } from '../../core/errors.js';

export interface HuaweiEndpoints {
  iam: string;
  pipeline: string;
  build: string;
  check: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;

/** Regions whose Pipeline endpoint is not `cloudpipeline-ext.{region}` (docs/reference/huawei-codearts.md, "Endpoints"). */
const PIPELINE_HOST_PREFIX: Readonly<Record<string, string>> = {
  'tr-west-1': 'pipeline-external',
  'la-south-2': 'pipeline-external',
  'af-north-1': 'pipeline',
  'me-east-1': 'pipeline',
  'af-south-1': 'pipeline',
};

/**
 * Default public endpoints of one region; every one can be overridden (dedicated regions, proxies, tests).
 * @example
 * defaultHuaweiEndpoints('cn-north-4').pipeline; // 'https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com'
 * defaultHuaweiEndpoints('cn-north-4', { iam: 'https://iam.myhuaweicloud.com' });
 */
export function defaultHuaweiEndpoints(region: string, overrides: Partial<HuaweiEndpoints> = {}): HuaweiEndpoints {
  if (!REGION.test(region)) {
    throw new OpsError('CONFIG.INVALID', 'Huawei region is not a region name (e.g. cn-north-4)', { field: 'region' });
  }
  const pipelinePrefix = PIPELINE_HOST_PREFIX[region] ?? 'cloudpipeline-ext';
  const defaults: HuaweiEndpoints = {
    iam: `https://iam.${region}.myhuaweicloud.com`,
    pipeline: `https://${pipelinePrefix}.${region}.myhuaweicloud.com`,
    build: `https://cloudbuild-ext.${region}.myhuaweicloud.com`,
    check: `https://codearts-check.${region}.myhuaweicloud.com`,
  };
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof HuaweiEndpoints)[]) {
    const value = overrides[key];
    if (value !== undefined && value !== '') out[key] = normalizeEndpoint(key, value);
  }
  return out;
}

/**
 * An endpoint is an origin (scheme + host [+ port]); a trailing slash is dropped.
 * @example
 * normalizeEndpoint('iam', 'https://iam.myhuaweicloud.com/'); // 'https://iam.myhuaweicloud.com'
 */
export function normalizeEndpoint(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OpsError('CONFIG.INVALID', `Huawei ${name} endpoint is not a URL`, { field: name });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname.replace(/\/+$/, '') !== '') {
    throw new OpsError('CONFIG.INVALID', `Huawei ${name} endpoint must be http(s)://host[:port]`, { field: name });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new OpsError('CONFIG.INVALID', `Huawei ${name} endpoint must be http(s)://host[:port]`, { field: name });
  }
  return url.origin;
}
