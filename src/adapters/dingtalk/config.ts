import { OpsError } from '../../core/errors.js';

/** DingTalk app settings (values of DINGTALK_* variables; the app layer reads the environment, not this module). */
export interface DingTalkConfig {
  /** DINGTALK_CLIENT_ID: the app's Client ID (AppKey). */
  clientId: string;
  /** DINGTALK_CLIENT_SECRET: the app's Client Secret (AppSecret). Never logged. */
  clientSecret: string;
  /** DINGTALK_ROBOT_CODE: the robot's code (usually equal to the Client ID). */
  robotCode: string;
  /** DINGTALK_CARD_TEMPLATE_ID: the approval card template from the card builder (ends in `.schema`). */
  cardTemplateId: string;
  /** DINGTALK_API_URL: OpenAPI base URL. */
  apiUrl: string;
  /** DINGTALK_GATEWAY_URL: the Stream gateway's connections/open URL. */
  gatewayUrl: string;
  /** DINGTALK_STREAM_LEASE_MS: lifetime of the replicas' lease on the one Stream connection (default 15000). */
  streamLeaseMs?: number;
}

export const DEFAULT_DINGTALK_API_URL = 'https://api.dingtalk.com';
export const DEFAULT_DINGTALK_GATEWAY_URL = 'https://api.dingtalk.com/v1.0/gateway/connections/open';

const VARIABLES = {
  clientId: 'DINGTALK_CLIENT_ID',
  clientSecret: 'DINGTALK_CLIENT_SECRET',
  robotCode: 'DINGTALK_ROBOT_CODE',
  cardTemplateId: 'DINGTALK_CARD_TEMPLATE_ID',
  apiUrl: 'DINGTALK_API_URL',
  gatewayUrl: 'DINGTALK_GATEWAY_URL',
  streamLeaseMs: 'DINGTALK_STREAM_LEASE_MS',
} as const;

/**
 * Builds and validates a DingTalkConfig from variables the app layer already read; returns undefined when DingTalk is
 * not configured at all (no DINGTALK_CLIENT_ID). Errors name the variable, never its value.
 * @example
 * const dingtalk = parseDingTalkConfig((name) => readVar(env, name));
 */
export function parseDingTalkConfig(get: (name: string) => string | undefined): DingTalkConfig | undefined {
  const clientId = get(VARIABLES.clientId);
  if (clientId === undefined) return undefined;
  const need = (key: keyof typeof VARIABLES): string => {
    const value = get(VARIABLES[key]);
    if (!value) throw new OpsError('CONFIG.INVALID', `${VARIABLES[key]} is required`, { key: VARIABLES[key] });
    return value;
  };
  const config: DingTalkConfig = {
    clientId,
    clientSecret: need('clientSecret'),
    robotCode: get(VARIABLES.robotCode) || clientId,
    cardTemplateId: need('cardTemplateId'),
    apiUrl: get(VARIABLES.apiUrl) || DEFAULT_DINGTALK_API_URL,
    gatewayUrl: get(VARIABLES.gatewayUrl) || DEFAULT_DINGTALK_GATEWAY_URL,
  };
  const lease = get(VARIABLES.streamLeaseMs);
  if (lease) {
    if (!/^\d{1,9}$/.test(lease) || Number(lease) < 1_000 || Number(lease) > 300_000) {
      throw new OpsError('CONFIG.INVALID', `${VARIABLES.streamLeaseMs} must be 1000-300000 (milliseconds)`, {
        key: VARIABLES.streamLeaseMs,
      });
    }
    config.streamLeaseMs = Number(lease);
  }
  return validateDingTalkConfig(config);
}

/** Checks shapes (IDs without spaces, http(s) URLs); throws CONFIG.INVALID naming the variable. */
export function validateDingTalkConfig(config: DingTalkConfig): DingTalkConfig {
  for (const key of ['clientId', 'clientSecret', 'robotCode', 'cardTemplateId'] as const) {
    if (!/^[\x21-\x7e]{1,256}$/.test(config[key])) {
      throw new OpsError('CONFIG.INVALID', `${VARIABLES[key]} must be 1-256 visible ASCII characters`, {
        key: VARIABLES[key],
      });
    }
  }
  for (const key of ['apiUrl', 'gatewayUrl'] as const) {
    let url: URL | undefined;
    try {
      url = new URL(config[key]);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new OpsError('CONFIG.INVALID', `${VARIABLES[key]} must be an http(s) URL`, { key: VARIABLES[key] });
    }
  }
  return { ...config, apiUrl: config.apiUrl.replace(/\/+$/, '') };
}
