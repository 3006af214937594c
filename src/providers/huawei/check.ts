import { z } from 'zod';
import { OpsError } from '../../core/errors.js';
import type { CheckNoticeProvider, CheckScope, Logger, NotificationRule } from '../../core/ports.js';
import type { HttpClient } from '../../net/http-client.js';
import type { HuaweiAuth } from './auth.js';
import { createHuaweiCaller } from './call.js';
import { huaweiBadResponse, parseProviderError, requestIdOf } from './errors.js';

export interface HuaweiCheckOptions {
  http: HttpClient;
  /** CodeArts Check origin, e.g. https://codearts-check.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  auth: HuaweiAuth;
  logger?: Logger;
}

/** Check IDs: "1 to 128 characters, including letters and digits" (query-notification-config page). */
const CHECK_ID = /^[A-Za-z0-9]{1,128}$/;

const flag = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
  z.boolean().transform(Number),
]);
const list = z.union([z.string(), z.array(z.string()).transform((a) => a.join(','))]);
/** Fields we know, each optional and parsed on its own so one odd field does not drop the rule. */
const RULE_FIELDS = {
  eventType: z.string(),
  sendMail: flag,
  sendMessage: flag,
  roles: list,
  sendRolesEnable: flag,
  userIds: list,
  sendUsersEnable: flag,
} as const;
const responseSchema = z.object({
  result: z.record(z.string(), z.unknown()).nullish(),
  status: z.string().nullish(),
});

/**
 * A value is kept as a rule when it is an object with at least one known field of the documented type.
 * @example
 * toNotificationRule({ sendMail: '1', extra: 'x' }); // { sendMail: 1 }
 * toNotificationRule('text'); // undefined
 */
export function toNotificationRule(value: unknown): NotificationRule | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const source = value as Record<string, unknown>;
  const rule: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(RULE_FIELDS)) {
    const parsed = schema.safeParse(source[key]);
    if (parsed.success) rule[key] = parsed.data;
  }
  return Object.keys(rule).length > 0 ? (rule as NotificationRule) : undefined;
}

function assertCheckId(field: string, value: string): string {
  if (typeof value !== 'string' || !CHECK_ID.test(value)) {
    throw new OpsError('INPUT.BAD_ID', `${field} must be 1-128 letters or digits`, {
      field,
      expected: '1-128 letters or digits',
    });
  }
  return value;
}

/**
 * CodeArts Check notification configuration of a project or a tenant (`GET /v2/transmission/notification`).
 * @example
 * const check = createHuaweiCheck({ http, endpoint, auth });
 * const { rules } = await check.show({ scope: 'project', projectId: 'd80a8a6530324b7bac972cbb8a9f28ec' });
 */
export function createHuaweiCheck(options: HuaweiCheckOptions): CheckNoticeProvider {
  const { endpoint, auth } = options;
  const call = createHuaweiCaller(options);
  return {
    async show(query: CheckScope) {
      const label = 'huawei.check.notification';
      const params =
        query.scope === 'project'
          ? { is_check_project: 1, project_id: assertCheckId('project', query.projectId) }
          : { is_check_project: 0, domain_id: assertCheckId('domain', query.domainId) };
      const res = await call({
        origin: endpoint,
        method: 'GET',
        path: '/v2/transmission/notification',
        query: params,
        idempotent: true,
        label,
      });
      const parsed = responseSchema.safeParse(res.json);
      if (!parsed.success) throw huaweiBadResponse(res, label, 'not a notification configuration');
      const requestId = requestIdOf(res);
      if (parsed.data.status?.toLowerCase() === 'fail') {
        const err = parseProviderError(res.json, auth.secrets);
        const providerMessage = err.providerMessage;
        throw new OpsError('PROVIDER.ERROR', `${label}: check service reported failure`, {
          provider: 'huawei',
          label,
          status: res.status,
          providerCode: err.providerCode,
          providerMessage,
          requestId,
        });
      }
      if (!parsed.data.result) throw huaweiBadResponse(res, label, 'no result');
      const rules: Record<string, NotificationRule> = {};
      for (const [event, value] of Object.entries(parsed.data.result)) {
        const rule = toNotificationRule(value);
        if (rule && event !== '__proto__') rules[event] = rule;
      }
      return requestId ? { rules, requestId } : { rules };
    },
  };
}
