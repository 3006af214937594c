import type { ConfigSummary } from '../adapters/cli/check-config.js';
import type { Policy } from '../core/authz.js';
import { DEFAULT_SQLITE_PATH } from '../store/open-store.js';
import type { AppConfig } from './config.js';
import type { Settings } from './config-load.js';

/** Each cloud enabled (regions, auth, endpoint) or disabled (and the variables that enable it): check-config, doctor. */
export function cloudStates(c: AppConfig): { huawei: string; yunxiao: string } {
  const h = c.huawei;
  const y = c.yunxiao;
  const regions = h ? [h.region, ...Object.keys(h.projectIds ?? {}).filter((r) => r !== h.region)].join(', ') : '';
  return {
    huawei: h
      ? `enabled (regions ${regions}, auth ${h.auth.kind}, pipeline ${h.endpoints.pipeline})`
      : `disabled (set ${c.enableHints.huawei})`,
    yunxiao: y
      ? `enabled (api ${y.api}, endpoint ${y.endpoint}, organization ${y.organizationId ?? '(from URLs)'})`
      : `disabled (set ${c.enableHints.yunxiao})`,
  };
}

/** What `opsgate check-config` prints: each part enabled (and how) or disabled (and which variables enable it). */
export function configSummary(settings: Settings, policy: Policy): ConfigSummary {
  const { app: c, server } = settings;
  const { huawei, yunxiao } = cloudStates(c);
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
