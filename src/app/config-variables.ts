import {
  httpUrl,
  int,
  list,
  oneOf,
  pattern,
  projectIdMap,
  secretMin,
  storeSpec,
  text,
  timeZone,
  token,
  type Variable,
} from './config-types.js';

/**
 * Every environment variable opsgate reads: the one configuration schema. Each entry is the variable's zod shape,
 * default, README words and whether it is a secret. `loadSettings` (config-load.ts) reads them all, each also as
 * `NAME_FILE`; the README's configuration table and the Kubernetes example are checked against this table by tests.
 * A new variable is one entry here (and its use in config-load.ts).
 */
export const VARIABLES = {
  OPSGATE_POLICY: {
    group: 'opsgate',
    schema: text(),
    defaultNote: '(none: everything but `help` is denied)',
    example: '/etc/opsgate/policy.yaml',
    description: 'path of the policy file',
  },
  OPSGATE_LOCALE: {
    group: 'opsgate',
    schema: oneOf(['en', 'zh-CN']),
    default: 'en',
    example: 'zh-CN',
    description: 'language of messages (`en`, `zh-CN`); DingTalk defaults to `zh-CN`',
  },
  OPSGATE_STORE: {
    group: 'opsgate',
    schema: storeSpec(),
    default: 'sqlite:./data/opsgate.db',
    example: 'redis://redis:6379/0',
    description: 'state: `sqlite:<path>`, `redis://…`, `rediss://…`, `memory:`',
    secret: true,
  },
  OPSGATE_WEBHOOK_SECRET: {
    group: 'opsgate',
    schema: secretMin(16),
    defaultNote: '(off)',
    example: '32 random bytes, hex',
    description: 'enables `POST /v1/approvals`; at least 16 characters',
    secret: true,
  },
  OPSGATE_TIMEZONE: {
    group: 'opsgate',
    schema: timeZone(),
    defaultNote: '`Asia/Shanghai` on DingTalk, `UTC` on Slack',
    example: 'Europe/Berlin',
    description:
      'IANA zone of the times opsgate writes (DingTalk cards, Slack messages); each time says its zone (`UTC+8`)',
  },
  OPSGATE_APPROVAL_TTL_SECONDS: {
    group: 'opsgate',
    schema: int(60, 30 * 86400),
    default: '7200',
    example: '3600',
    description: 'default lifetime of an approval',
  },
  OPSGATE_LOG_LEVEL: {
    group: 'opsgate',
    schema: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    defaultNote: '`info` (`warn` for the CLI)',
    example: 'debug',
    description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`',
  },
  OPSGATE_SHUTDOWN_TIMEOUT_MS: {
    group: 'opsgate',
    schema: int(0, 600_000),
    default: '10000',
    example: '30000',
    description: 'how long SIGTERM waits for work in flight',
  },
  OPSGATE_SWEEP_INTERVAL_MS: {
    group: 'opsgate',
    schema: int(100, 3_600_000),
    default: '30000',
    example: '10000',
    description: 'how often expired approvals are swept',
  },
  OPSGATE_REFRESH_INTERVAL_MS: {
    group: 'opsgate',
    schema: int(100, 86_400_000),
    default: '60000',
    example: '30000',
    description: "how often each open approval's run is re-read (decisions made in the console)",
  },
  OPSGATE_DECISION_LEASE_MS: {
    group: 'opsgate',
    schema: int(3000, 600_000),
    default: '30000',
    example: '60000',
    description:
      "lease of a decision lock (renewed every third of it); a crashed replica's decision is released after it",
  },
  OPSGATE_BODY_BUDGET_BYTES: {
    group: 'http',
    schema: int(1024 * 1024, 1024 * 1024 * 1024),
    default: String(32 * 1024 * 1024),
    example: String(64 * 1024 * 1024),
    description:
      'bytes all unauthenticated request bodies (`/slack/events`, `/v1/approvals`) may hold together; past it: 503 `SERVER.BUSY`',
  },
  OPSGATE_LISTEN_BACKLOG: {
    group: 'http',
    schema: int(1, 65535),
    default: '4096',
    example: '1024',
    description: 'listen queue length of the HTTP server (the kernel caps it at `net.core.somaxconn`)',
  },
  OPSGATE_HTTP_CONNECT_TIMEOUT_MS: {
    group: 'http',
    schema: int(1, 600_000),
    default: '5000',
    example: '2000',
    description: 'cloud connect timeout',
  },
  OPSGATE_HTTP_TIMEOUT_MS: {
    group: 'http',
    schema: int(1, 600_000),
    default: '15000',
    example: '30000',
    description: 'cloud header and body timeouts',
  },
  OPSGATE_HTTP_RETRIES: {
    group: 'http',
    schema: int(0, 10),
    default: '3',
    example: '5',
    description: 'retries for 429/503 (and 502/504, resets for reads)',
  },
  PORT: {
    group: 'http',
    schema: int(0, 65535),
    default: '3000',
    example: '8080',
    description: 'HTTP server port (`/healthz`, `/readyz`, `/metrics`, `/v1/approvals`, `/slack/events`)',
  },
  HOST: {
    group: 'http',
    schema: pattern(/^[A-Za-z0-9.:-]{1,253}$/, 'a host name or IP address such as 0.0.0.0'),
    default: '0.0.0.0',
    example: '127.0.0.1',
    description: 'HTTP server bind address',
  },
  ...huaweiVariables(),
  ...yunxiaoVariables(),
  ...chatVariables(),
} satisfies Record<string, Variable>;

export type VariableName = keyof typeof VARIABLES;

function huaweiVariables() {
  const endpoint = (defaultNote: string, what: string): Variable<string> => ({
    group: 'huawei',
    schema: httpUrl(),
    defaultNote,
    description: `${what} endpoint`,
  });
  return {
    HUAWEI_REGION: {
      group: 'huawei',
      schema: pattern(/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/, 'a region such as cn-north-4'),
      default: 'cn-north-4',
      example: 'ap-southeast-1',
      description: 'region of the CodeArts endpoints',
    },
    HUAWEI_AUTH: {
      group: 'huawei',
      schema: oneOf(['aksk', 'token']),
      defaultNote: '`aksk` if `HUAWEI_AK` is set, `token` if `HUAWEI_IAM_USER` is',
      example: 'token',
      description: '`aksk` or `token`; setting it enables CodeArts',
    },
    HUAWEI_AK: { group: 'huawei', schema: token(), description: 'access key (AK/SK signing)', secret: true },
    HUAWEI_SK: { group: 'huawei', schema: token(), description: 'secret key (AK/SK signing)', secret: true },
    HUAWEI_SECURITY_TOKEN: {
      group: 'huawei',
      schema: token(),
      description: 'for temporary AK/SK credentials',
      secret: true,
    },
    HUAWEI_PROJECT_ID: {
      group: 'huawei',
      schema: pattern(/^[A-Za-z0-9]{1,64}$/, 'letters and digits (the IAM project ID)'),
      description:
        'IAM project ID of `HUAWEI_REGION` (required with AK/SK unless `HUAWEI_PROJECT_IDS` names that region; scopes the IAM token when set)',
    },
    HUAWEI_PROJECT_IDS: {
      group: 'huawei',
      schema: projectIdMap(),
      example: 'cn-north-4:0a1b…,ap-southeast-1:2c3d…',
      description:
        "IAM project per further region: a pasted run URL's region then goes to that region's endpoints with its own IAM token (one token cache per region) or `X-Project-Id`; a run in a region neither here nor `HUAWEI_REGION` gets `CONFIG.REGION_NOT_CONFIGURED`. Endpoint overrides (`HUAWEI_*_ENDPOINT`) apply to every region.",
    },
    HUAWEI_IAM_USER: { group: 'huawei', schema: text(), description: 'IAM user (token auth)' },
    HUAWEI_IAM_PASSWORD: { group: 'huawei', schema: text(), description: 'IAM password (token auth)', secret: true },
    HUAWEI_IAM_DOMAIN: { group: 'huawei', schema: text(), description: 'IAM account name (token auth)' },
    HUAWEI_IAM_ENDPOINT: endpoint('`https://iam.{region}.myhuaweicloud.com`', 'IAM'),
    HUAWEI_PIPELINE_ENDPOINT: endpoint(
      '`https://cloudpipeline-ext.{region}.myhuaweicloud.com` (region exceptions built in)',
      'CodeArts Pipeline',
    ),
    HUAWEI_BUILD_ENDPOINT: endpoint('`https://cloudbuild-ext.{region}.myhuaweicloud.com`', 'CodeArts Build'),
    HUAWEI_CHECK_ENDPOINT: endpoint('`https://codearts-check.{region}.myhuaweicloud.com`', 'CodeArts Check'),
    HUAWEI_BUILD_NOTICE_SPELLING: {
      group: 'huawei',
      schema: oneOf(['legacy', 'current']),
      default: 'legacy',
      example: 'current',
      description: '`legacy` sends `message/email/DingTalk`; `current` sends `MESSAGE/MAIL/DING_TALK/WECOM/FEISHU`',
    },
    HUAWEI_MANUAL_REVIEW_TASKS: {
      group: 'huawei',
      schema: list(/^[\w.-]{1,128}$/, 'plugin task names'),
      defaultNote: '`official_devcloud_checkpoint`',
      description: 'comma list of job step `task` values that are manual reviews',
    },
    HUAWEI_DELAY_TASKS: {
      group: 'huawei',
      schema: list(/^[\w.-]{1,128}$/, 'plugin task names'),
      defaultNote: '`official_devcloud_delay`',
      description: 'comma list of job step `task` values that are delayed executions',
    },
    HUAWEI_STAGE_CHECK_TASKS: {
      group: 'huawei',
      schema: list(/^[\w.-]{1,128}$/, 'plugin task names'),
      defaultNote: '`official_devcloud_manualTrigger`',
      description:
        'comma list of stage `pre`/`post` step `task` values that are manual check points. No official source names this plugin: run `opsgate doctor <run-url>` on a run waiting at one and set what it shows',
    },
    HUAWEI_REVIEW_TIMEOUT_UNIT: {
      group: 'huawei',
      schema: oneOf(['minutes', 'hours', 'seconds']),
      default: 'minutes',
      example: 'hours',
      description:
        "unit of the manual review's `timeout` input (not documented: the user guide shows `300`, the official Terraform test `3600`, with a 3-day cap)",
    },
  } satisfies Record<string, Variable>;
}

function yunxiaoVariables() {
  return {
    YUNXIAO_API: {
      group: 'yunxiao',
      schema: oneOf(['devops', 'rdc']),
      defaultNote: '`devops` if `ALIYUN_ACCESS_KEY_ID` is set, `rdc` if `YUNXIAO_TOKEN` is',
      example: 'rdc',
      description: 'API generation; setting it enables Yunxiao',
    },
    YUNXIAO_ENDPOINT: {
      group: 'yunxiao',
      schema: httpUrl(),
      defaultNote: '`https://devops.cn-hangzhou.aliyuncs.com` / `https://openapi-rdc.aliyuncs.com`',
      description: 'Yunxiao API endpoint',
    },
    YUNXIAO_ORGANIZATION_ID: {
      group: 'yunxiao',
      schema: pattern(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - or _'),
      defaultNote: '(from the run URL)',
      example: '5ebbc0228123212b59xxxxx',
      description: 'organization used when a URL names none',
    },
    ALIYUN_ACCESS_KEY_ID: {
      group: 'yunxiao',
      schema: token(),
      description: 'AccessKey ID, ACS3-HMAC-SHA256 signing (`devops` API)',
      secret: true,
    },
    ALIYUN_ACCESS_KEY_SECRET: {
      group: 'yunxiao',
      schema: token(),
      description: 'AccessKey secret (`devops` API)',
      secret: true,
    },
    YUNXIAO_TOKEN: {
      group: 'yunxiao',
      schema: token(),
      example: 'pt-…',
      description: 'personal access token (`rdc` API)',
      secret: true,
    },
    YUNXIAO_RDC_EDITION: {
      group: 'yunxiao',
      schema: oneOf(['cloud', 'region']),
      default: 'cloud',
      example: 'region',
      description: '`region` for self-hosted editions (no organization in paths)',
    },
  } satisfies Record<string, Variable>;
}

function chatVariables() {
  return {
    SLACK_BOT_TOKEN: {
      group: 'slack',
      schema: pattern(/^xox[a-z]-[\x21-\x7e]{1,250}$/, 'a bot token (xoxb-…)'),
      defaultNote: '(Slack off)',
      example: 'xoxb-…',
      description: 'enables Slack',
      secret: true,
    },
    SLACK_SIGNING_SECRET: {
      group: 'slack',
      schema: token(),
      description: 'verifies `POST /slack/events` (HTTP mode)',
      secret: true,
    },
    SLACK_APP_TOKEN: {
      group: 'slack',
      schema: pattern(/^xapp-[\x21-\x7e]{1,250}$/, 'an app-level token (xapp-…)'),
      defaultNote: '(HTTP mode)',
      example: 'xapp-…',
      description: 'Socket Mode instead of HTTP',
      secret: true,
    },
    SLACK_API_URL: {
      group: 'slack',
      schema: httpUrl(),
      defaultNote: '`https://slack.com/api/`',
      description: 'Web API base URL (proxies, tests)',
    },
    DINGTALK_CLIENT_ID: {
      group: 'dingtalk',
      schema: token(),
      defaultNote: '(DingTalk off)',
      description: 'Stream-mode app Client ID (AppKey); enables DingTalk',
    },
    DINGTALK_CLIENT_SECRET: {
      group: 'dingtalk',
      schema: token(),
      description: 'Stream-mode app Client Secret (AppSecret)',
      secret: true,
    },
    DINGTALK_ROBOT_CODE: {
      group: 'dingtalk',
      schema: token(),
      defaultNote: '`DINGTALK_CLIENT_ID`',
      description: 'robot code for group messages and cards',
    },
    DINGTALK_CARD_TEMPLATE_ID: {
      group: 'dingtalk',
      schema: token(),
      example: 'xxxx.schema',
      description: 'approval card template (see `manifest/dingtalk/`)',
    },
    DINGTALK_STREAM_LEASE_MS: {
      group: 'dingtalk',
      schema: int(1000, 300_000),
      default: '15000',
      example: '5000',
      description:
        "lifetime of the replicas' lease on the app's one Stream connection (1000-300000); a dead holder is replaced within about this long",
    },
    DINGTALK_API_URL: {
      group: 'dingtalk',
      schema: httpUrl(),
      default: 'https://api.dingtalk.com',
      description: 'OpenAPI base URL',
    },
    DINGTALK_GATEWAY_URL: {
      group: 'dingtalk',
      schema: httpUrl(),
      default: 'https://api.dingtalk.com/v1.0/gateway/connections/open',
      description: 'Stream gateway (connections/open) URL',
    },
  } satisfies Record<string, Variable>;
}
