import type { ConfigSummary } from '../adapters/cli/check-config.js';
import type { Policy } from '../core/authz.js';
import { DEFAULT_SQLITE_PATH } from '../store/open-store.js';
import type { Settings } from './config-load.js';

/** What `opsgate check-config` prints: each part enabled (and how) or disabled (and which variables enable it). */
export function configSummary(settings: Settings, policy: Policy): ConfigSummary {
  const { app: c, server } = settings;
  const huawei = c.huawei
    ? `enabled (region ${c.huawei.region}, auth ${c.huawei.auth.kind}, pipeline ${c.huawei.endpoints.pipeline})`
    : `disabled (set ${c.enableHints.huawei})`;
  const yunxiao = c.yunxiao
    ? `enabled (api ${c.yunxiao.api}, endpoint ${c.yunxiao.endpoint}, organization ${c.yunxiao.organizationId ?? '(from URLs)'})`
    : `disabled (set ${c.enableHints.yunxiao})`;
  const policyLine = c.policyPath
    ? `${c.policyPath} (${Object.keys(policy.roles).length} roles, ${policy.bindings.length} bindings)`
    : 'none: every command but help is denied (set OPSGATE_POLICY)';
  const slack = server.slack
    ? `enabled (${server.slack.appToken ? 'Socket Mode' : 'HTTP, POST /slack/events'})`
    : 'disabled (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode)';
  const dingtalk = server.dingtalk
    ? `enabled (Stream mode, robot ${server.dingtalk.robotCode})`
    : 'disabled (set DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and DINGTALK_CARD_TEMPLATE_ID)';
  return {
    lines: [
      ['locale', c.locale],
      ['huawei', huawei],
      ['yunxiao', yunxiao],
      ['policy', policyLine],
      // A Redis URL may carry a password: never print it.
      ['store', server.store?.replace(/\/\/[^@/]*@/, '//***@') ?? `sqlite:${DEFAULT_SQLITE_PATH} (default)`],
      [
        'http',
        `port ${server.port}; approval requests ${server.webhookSecret ? 'enabled' : 'disabled (set OPSGATE_WEBHOOK_SECRET)'}`,
      ],
      ['slack', slack],
      ['dingtalk', dingtalk],
    ],
    warnings: settings.warnings,
  };
}
