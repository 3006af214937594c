import { afterEach, describe, expect, it } from 'vitest';
import { toNotificationRule } from '../../../../src/providers/huawei/check.js';
import { type HuaweiEnv, startHuaweiEnv } from './env.js';
import type { Reply } from './helpers.js';

const RULE = {
  eventType: 'codeGateFailed',
  sendMail: 1,
  sendMessage: 0,
  roles: 'project_admin,Developer',
  sendRolesEnable: 1,
  userIds: 'u1,u2',
  sendUsersEnable: 0,
};

describe('Huawei check notice provider', () => {
  let env: HuaweiEnv;
  afterEach(async () => env.close());

  async function start(reply: Reply, mode: 'token' | 'aksk' = 'token') {
    env = await startHuaweiEnv(mode);
    env.routes.push((rec) => (rec.path === '/v2/transmission/notification' ? reply : undefined));
  }

  it('project scope: is_check_project=1&project_id=…', async () => {
    await start({
      status: 200,
      json: {
        result: { codeGateFailed: RULE, deleteTask: { ...RULE, eventType: 'deleteTask' } },
        httpStatus: 'OK',
        status: 'success',
      },
    });
    const config = await env.providers.check.show({ scope: 'project', projectId: 'aaaaaaaa' });
    const rec = env.serviceRequests[0]!;
    expect(rec.method).toBe('GET');
    expect(Object.fromEntries(rec.query)).toEqual({ is_check_project: '1', project_id: 'aaaaaaaa' });
    expect(config).toEqual({
      rules: { codeGateFailed: RULE, deleteTask: { ...RULE, eventType: 'deleteTask' } },
      requestId: 'req-2',
    });
  });

  it('tenant scope: is_check_project=0&domain_id=… (AK/SK signed)', async () => {
    await start({ status: 200, json: { result: { executeTask: RULE }, httpStatus: 'OK', status: 'success' } }, 'aksk');
    const config = await env.providers.check.show({ scope: 'tenant', domainId: 'bbbbbbb' });
    expect(Object.fromEntries(env.serviceRequests[0]!.query)).toEqual({ is_check_project: '0', domain_id: 'bbbbbbb' });
    expect(config.rules).toEqual({ executeTask: RULE });
  });

  it('parses leniently: unknown rule-shaped keys kept, other values dropped, numbers coerced', async () => {
    await start({
      status: 200,
      json: {
        result: {
          codeGateFailed: { ...RULE, sendMail: '1', extra: 'x' },
          newEventFromHuawei: { eventType: 'newEvent', sendMessage: 1, roles: ['Tester', 'Viewer'] },
          someFlag: true,
          someText: 'hello',
          someList: [1, 2],
          emptyObject: {},
          weird: { sendMail: 'yes' },
        },
        httpStatus: 'OK',
        status: 'success',
      },
    });
    const { rules } = await env.providers.check.show({ scope: 'project', projectId: 'p1' });
    expect(rules).toEqual({
      codeGateFailed: RULE,
      newEventFromHuawei: { eventType: 'newEvent', sendMessage: 1, roles: 'Tester,Viewer' },
    });
  });

  it('ignores a "__proto__" key and keeps plain rule objects', async () => {
    await start({
      status: 200,
      text: '{"result":{"__proto__":{"sendMail":1},"deleteTask":{"sendMail":0}},"status":"success"}',
    });
    const { rules } = await env.providers.check.show({ scope: 'project', projectId: 'p1' });
    expect(Object.getPrototypeOf(rules)).toBe(Object.prototype);
    expect(Object.keys(rules)).toEqual(['deleteTask']);
    expect(toNotificationRule(['x'])).toBeUndefined();
  });

  it('maps the documented 400 and a missing result', async () => {
    await start({
      status: 400,
      json: { error_code: 'CC.00000001.400', error_msg: 'Verify request parameter failed.' },
    });
    await expect(env.providers.check.show({ scope: 'project', projectId: 'p1' })).rejects.toMatchObject({
      code: 'PROVIDER.BAD_REQUEST',
      meta: { providerCode: 'CC.00000001.400', requestId: 'req-2' },
    });
    env.routes.unshift(() => ({ status: 200, json: { httpStatus: 'OK', status: 'success' } }));
    await expect(env.providers.check.show({ scope: 'project', projectId: 'p1' })).rejects.toMatchObject({
      code: 'PROVIDER.BAD_RESPONSE',
    });
  });

  it('validates ids (letters/digits, 1-128) before sending', async () => {
    await start({ status: 200, json: {} });
    for (const bad of ['', 'a-b', 'a&domain_id=x', 'x'.repeat(129)]) {
      await expect(env.providers.check.show({ scope: 'project', projectId: bad })).rejects.toMatchObject({
        code: 'INPUT.BAD_ID',
      });
      await expect(env.providers.check.show({ scope: 'tenant', domainId: bad })).rejects.toMatchObject({
        code: 'INPUT.BAD_ID',
      });
    }
    expect(env.fake.requests).toHaveLength(0);
  });
});
