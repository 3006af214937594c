import type { DingTalkConfig } from '../adapters/dingtalk/config.js';
import type { SlackConfig } from '../adapters/slack/config.js';
import { OpsError } from '../core/errors.js';
import { registerSecrets } from '../core/scrub.js';
import { toLocale } from '../core/i18n/index.js';
import { defaultYunxiaoEndpoint, type YunxiaoConfig } from '../providers/aliyun/index.js';
import { defaultHuaweiEndpoints } from '../providers/huawei/endpoints.js';
import type { HuaweiConfig } from '../providers/huawei/index.js';
import type { AppConfig } from './config.js';
import { VARIABLES, type VariableName } from './config-variables.js';
import { type Env, readVar } from './env.js';
import type { ServerConfig } from './server-config.js';

/** Everything an entry point needs, validated at once; `warnings` are printed at start and by check-config. */
export interface Settings {
  app: AppConfig;
  server: ServerConfig;
  warnings: string[];
}

export interface Problem {
  key: string;
  message: string;
}

type Values = {
  [K in VariableName]?: (typeof VARIABLES)[K] extends { schema: { _zod: { output: infer T } } } ? T : never;
};

export const HUAWEI_HINT =
  'HUAWEI_AK, HUAWEI_SK and HUAWEI_PROJECT_ID (or HUAWEI_IAM_USER, HUAWEI_IAM_PASSWORD and HUAWEI_IAM_DOMAIN)';
export const YUNXIAO_HINT = 'ALIYUN_ACCESS_KEY_ID and ALIYUN_ACCESS_KEY_SECRET (or YUNXIAO_TOKEN)';

/**
 * Reads and validates every variable of VARIABLES (each also as NAME_FILE), then the rules between them. Every
 * problem is collected and reported in one CONFIG.INVALID (meta.problems), naming variables and never their values.
 * @example
 * const { app, server, warnings } = loadSettings(process.env);
 */
export function loadSettings(env: Env, readFile?: (path: string) => string): Settings {
  const problems: Problem[] = [];
  const values: Record<string, unknown> = {};
  const set = new Set<string>();
  const rawValues: Record<string, string> = {};
  for (const [name, variable] of Object.entries(VARIABLES) as Array<[VariableName, (typeof VARIABLES)[VariableName]]>) {
    let text: string | undefined;
    try {
      text = readVar(env, name, readFile);
    } catch (err) {
      problems.push({ key: name, message: (err as Error).message });
      continue;
    }
    if (text !== undefined) {
      set.add(name);
      rawValues[name] = text;
    }
    const source = text ?? ('default' in variable ? variable.default : undefined);
    if (source === undefined) continue;
    const parsed = variable.schema.safeParse(source);
    if (parsed.success) values[name] = parsed.data;
    else problems.push({ key: name, message: `${name} must be ${parsed.error.issues[0]?.message ?? 'valid'}` });
  }
  const v = values as Values;
  const need = <K extends VariableName>(name: K, why: string): NonNullable<Values[K]> => {
    const value = v[name];
    if (value === undefined && !problems.some((p) => p.key === name)) {
      problems.push({ key: name, message: `${name} is required ${why}` });
    }
    return value as NonNullable<Values[K]>;
  };
  const guard = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      const error = err as OpsError;
      problems.push({ key: String(error.meta?.key ?? error.meta?.field ?? 'configuration'), message: error.message });
      return undefined;
    }
  };
  const huawei = guard(() => loadHuawei(v, need));
  const yunxiao = guard(() => loadYunxiao(v, need));
  const slack = loadSlack(v, need);
  const dingtalk = loadDingTalk(v, need);
  if (problems.length > 0) {
    throw new OpsError('CONFIG.INVALID', problems.map((p) => p.message).join('; '), {
      key: problems[0]?.key,
      problems: problems.map((p) => ({ ...p })),
    });
  }
  const app: AppConfig = {
    locale: toLocale(v.OPSGATE_LOCALE, 'en'),
    localeSet: set.has('OPSGATE_LOCALE'),
    policyPath: v.OPSGATE_POLICY,
    huawei,
    yunxiao,
    enableHints: { huawei: HUAWEI_HINT, yunxiao: YUNXIAO_HINT },
    http: {
      connectTimeoutMs: v.OPSGATE_HTTP_CONNECT_TIMEOUT_MS!,
      requestTimeoutMs: v.OPSGATE_HTTP_TIMEOUT_MS!,
      retries: v.OPSGATE_HTTP_RETRIES!,
    },
  };
  const server: ServerConfig = {
    port: v.PORT!,
    host: v.HOST!,
    store: set.has('OPSGATE_STORE') ? v.OPSGATE_STORE : undefined,
    webhookSecret: v.OPSGATE_WEBHOOK_SECRET,
    logLevel: v.OPSGATE_LOG_LEVEL,
    approvalTtlMs: v.OPSGATE_APPROVAL_TTL_SECONDS! * 1000,
    shutdownTimeoutMs: v.OPSGATE_SHUTDOWN_TIMEOUT_MS!,
    sweepIntervalMs: v.OPSGATE_SWEEP_INTERVAL_MS!,
    refreshIntervalMs: v.OPSGATE_REFRESH_INTERVAL_MS!,
    decisionLeaseMs: v.OPSGATE_DECISION_LEASE_MS!,
    timeZone: v.OPSGATE_TIMEZONE,
    bodyBudgetBytes: v.OPSGATE_BODY_BUDGET_BYTES!,
    listenBacklog: v.OPSGATE_LISTEN_BACKLOG!,
    slack,
    dingtalk,
  };
  // The scrubber (src/core/scrub.ts) knows every secret from the start: each variable the table marks secret, and the
  // password inside a Redis URL (the URL itself is not a secret as a whole).
  registerSecrets([
    ...(Object.entries(VARIABLES) as Array<[VariableName, { secret?: boolean }]>)
      .filter(([name, variable]) => variable.secret && name !== 'OPSGATE_STORE')
      .map(([name]) => rawValues[name]),
    storePassword(server.store),
  ]);
  const warnings: string[] = [];
  if (!huawei && !yunxiao) {
    warnings.push(`no cloud is enabled: every command but help will fail (set ${HUAWEI_HINT}; or ${YUNXIAO_HINT})`);
  }
  if (!slack && !dingtalk && !server.webhookSecret) {
    warnings.push(
      'no chat is enabled and approval requests are off: the bot serves only /healthz, /readyz and /metrics ' +
        '(set SLACK_BOT_TOKEN, DINGTALK_CLIENT_ID or OPSGATE_WEBHOOK_SECRET)',
    );
  }
  return { app, server, warnings };
}

type Need = <K extends VariableName>(name: K, why: string) => NonNullable<Values[K]>;

function loadHuawei(v: Values, need: Need): HuaweiConfig | undefined {
  const auth = v.HUAWEI_AUTH ?? (v.HUAWEI_AK ? 'aksk' : v.HUAWEI_IAM_USER ? 'token' : undefined);
  if (auth === undefined || v.HUAWEI_REGION === undefined) return undefined;
  const endpointOverrides = Object.fromEntries(
    Object.entries({
      iam: v.HUAWEI_IAM_ENDPOINT,
      pipeline: v.HUAWEI_PIPELINE_ENDPOINT,
      build: v.HUAWEI_BUILD_ENDPOINT,
      check: v.HUAWEI_CHECK_ENDPOINT,
    }).filter(([, value]) => value !== undefined),
  );
  const region = v.HUAWEI_REGION;
  const projectIds = v.HUAWEI_PROJECT_IDS ?? {};
  const nonEmpty = (list: string[] | undefined) => (list?.length ? list : undefined);
  const base = {
    region,
    endpoints: defaultHuaweiEndpoints(region, endpointOverrides),
    endpointOverrides,
    projectIds: Object.keys(projectIds).length > 0 ? projectIds : undefined,
    noticeSpelling: v.HUAWEI_BUILD_NOTICE_SPELLING ?? 'legacy',
    reviewTimeoutUnit: v.HUAWEI_REVIEW_TIMEOUT_UNIT,
    manualReviewTasks: nonEmpty(v.HUAWEI_MANUAL_REVIEW_TASKS),
    delayTasks: nonEmpty(v.HUAWEI_DELAY_TASKS),
    stageCheckTasks: nonEmpty(v.HUAWEI_STAGE_CHECK_TASKS),
  };
  // The default region's project: HUAWEI_PROJECT_ID, or its entry in HUAWEI_PROJECT_IDS.
  const projectId = v.HUAWEI_PROJECT_ID ?? projectIds[region];
  if (auth === 'aksk') {
    const why = 'with AK/SK auth';
    const [ak, sk] = [need('HUAWEI_AK', why), need('HUAWEI_SK', why)];
    if (projectId === undefined) need('HUAWEI_PROJECT_ID', `with AK/SK auth (the IAM project of ${region})`);
    return { ...base, auth: { kind: 'aksk', ak, sk, projectId: projectId!, securityToken: v.HUAWEI_SECURITY_TOKEN } };
  }
  const why = 'with token auth';
  return {
    ...base,
    auth: {
      kind: 'token',
      user: need('HUAWEI_IAM_USER', why),
      password: need('HUAWEI_IAM_PASSWORD', why),
      domain: need('HUAWEI_IAM_DOMAIN', why),
      projectId,
    },
  };
}

function loadYunxiao(v: Values, need: Need): YunxiaoConfig | undefined {
  const api = v.YUNXIAO_API ?? (v.ALIYUN_ACCESS_KEY_ID ? 'devops' : v.YUNXIAO_TOKEN ? 'rdc' : undefined);
  if (api === undefined) return undefined;
  const base = {
    endpoint: v.YUNXIAO_ENDPOINT ?? defaultYunxiaoEndpoint(api),
    organizationId: v.YUNXIAO_ORGANIZATION_ID,
  };
  if (api === 'devops') {
    const why = 'with the devops API';
    return {
      ...base,
      api,
      accessKeyId: need('ALIYUN_ACCESS_KEY_ID', why),
      accessKeySecret: need('ALIYUN_ACCESS_KEY_SECRET', why),
    };
  }
  return { ...base, api, token: need('YUNXIAO_TOKEN', 'with the rdc API'), rdcEdition: v.YUNXIAO_RDC_EDITION! };
}

function loadSlack(v: Values, need: Need): SlackConfig | undefined {
  if (v.SLACK_BOT_TOKEN === undefined) return undefined;
  const appToken = v.SLACK_APP_TOKEN;
  return {
    botToken: v.SLACK_BOT_TOKEN,
    // Socket Mode authenticates the WebSocket with the app token; only HTTP mode needs the signing secret.
    signingSecret: appToken
      ? (v.SLACK_SIGNING_SECRET ?? '')
      : need('SLACK_SIGNING_SECRET', 'in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)'),
    appToken,
    apiUrl: v.SLACK_API_URL === undefined ? undefined : `${v.SLACK_API_URL}/`,
  };
}

function loadDingTalk(v: Values, need: Need): DingTalkConfig | undefined {
  const clientId = v.DINGTALK_CLIENT_ID;
  if (clientId === undefined) return undefined;
  const why = 'with DINGTALK_CLIENT_ID';
  return {
    clientId,
    clientSecret: need('DINGTALK_CLIENT_SECRET', why),
    robotCode: v.DINGTALK_ROBOT_CODE ?? clientId,
    cardTemplateId: need('DINGTALK_CARD_TEMPLATE_ID', why),
    apiUrl: v.DINGTALK_API_URL!,
    gatewayUrl: v.DINGTALK_GATEWAY_URL!,
    streamLeaseMs: v.DINGTALK_STREAM_LEASE_MS,
  };
}

/** The password inside a Redis URL, for the scrubber. */
function storePassword(store: string | undefined): string | undefined {
  if (!store || !/^rediss?:/.test(store)) return undefined;
  try {
    return decodeURIComponent(new URL(store).password) || undefined;
  } catch {
    return undefined;
  }
}
