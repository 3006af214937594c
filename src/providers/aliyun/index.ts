import { OpsError } from '../../core/errors.js';
import type { Clock, Logger, PipelineProvider } from '../../core/ports.js';
import type { HttpClient } from '../../net/http-client.js';
import { createYunxiaoDevops } from './yunxiao-devops.js';
import { createYunxiaoRdc } from './yunxiao-rdc.js';

export { canonicalRequest, signAcs3 } from './acs3-signer.js';
export { createYunxiaoDevops } from './yunxiao-devops.js';
export { createYunxiaoRdc } from './yunxiao-rdc.js';

/** Which Yunxiao API generation to call, and its credentials (devops: AccessKey pair; rdc: personal access token). */
export type YunxiaoConfig = {
  api: 'devops' | 'rdc';
  endpoint: string;
  organizationId?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  token?: string;
  rdcEdition?: 'cloud' | 'region';
};

export interface YunxiaoDeps {
  http: HttpClient;
  now: Clock;
  nonce?: () => string;
  logger?: Logger;
}

/**
 * @example
 * defaultYunxiaoEndpoint('rdc'); // 'https://openapi-rdc.aliyuncs.com'
 */
export function defaultYunxiaoEndpoint(api: YunxiaoConfig['api']): string {
  return api === 'devops' ? 'https://devops.cn-hangzhou.aliyuncs.com' : 'https://openapi-rdc.aliyuncs.com';
}

function required(value: string | undefined, variable: string): string {
  if (value === undefined || value.length === 0) {
    throw new OpsError('CONFIG.INVALID', `${variable} is required for this Yunxiao API`, { variable });
  }
  return value;
}

/**
 * Builds the Yunxiao pipeline provider for the configured API generation.
 * @example
 * const yunxiao = createYunxiaoProvider(
 *   { api: 'devops', endpoint: defaultYunxiaoEndpoint('devops'), organizationId, accessKeyId, accessKeySecret },
 *   { http: createHttpClient(), now: Date.now },
 * );
 */
export function createYunxiaoProvider(config: YunxiaoConfig, deps: YunxiaoDeps): PipelineProvider {
  const common = {
    http: deps.http,
    endpoint: config.endpoint,
    ...(config.organizationId ? { defaultOrganizationId: config.organizationId } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  };
  if (config.api === 'devops') {
    return createYunxiaoDevops({
      ...common,
      accessKeyId: required(config.accessKeyId, 'ALIYUN_ACCESS_KEY_ID'),
      accessKeySecret: required(config.accessKeySecret, 'ALIYUN_ACCESS_KEY_SECRET'),
      now: deps.now,
      ...(deps.nonce ? { nonce: deps.nonce } : {}),
    });
  }
  return createYunxiaoRdc({
    ...common,
    token: required(config.token, 'YUNXIAO_TOKEN'),
    edition: config.rdcEdition ?? 'cloud',
  });
}
