import { afterEach, describe, expect, it } from 'vitest';
import type { OpsError } from '../../../../src/core/errors.js';
import type { NoticeType } from '../../../../src/core/ports.js';
import { noticeTypeFor } from '../../../../src/providers/huawei/build.js';
import { type HuaweiEnv, startHuaweiEnv } from './env.js';
import { ID, type Reply } from './helpers.js';

const OK: Reply = { status: 200, json: { result: { job_id: ID.buildJob }, error: null, status: 'success' } };

describe('Huawei build notice provider', () => {
  let env: HuaweiEnv;
  afterEach(async () => env.close());

  async function start(spelling: 'legacy' | 'current', reply: Reply = OK) {
    env = await startHuaweiEnv('token', { noticeSpelling: spelling });
    env.routes.push((rec) => (rec.path.startsWith('/v3/jobs/notice/') ? reply : undefined));
  }

  it.each([
    ['legacy', 'message', 'message'],
    ['legacy', 'email', 'email'],
    ['legacy', 'dingtalk', 'DingTalk'],
    ['current', 'message', 'MESSAGE'],
    ['current', 'email', 'MAIL'],
    ['current', 'dingtalk', 'DING_TALK'],
    ['current', 'wecom', 'WECOM'],
    ['current', 'feishu', 'FEISHU'],
  ] as const)('disable (%s spelling): %s → notice_type=%s', async (spelling, type, wire) => {
    await start(spelling);
    const ack = await env.providers.build.disable(ID.buildJob, type);
    const rec = env.serviceRequests[0]!;
    expect(rec.method).toBe('POST');
    expect(rec.path).toBe(`/v3/jobs/notice/${ID.buildJob}/disable`);
    expect([...rec.query]).toEqual([['notice_type', wire]]);
    expect(rec.headers['x-auth-token']).toMatch(/^tok-/);
    expect(ack).toEqual({ requestId: 'req-2' });
  });

  it.each(['wecom', 'feishu'] as const)('legacy spelling has no %s: INPUT.BAD_ARGUMENT, nothing sent', async (type) => {
    await start('legacy');
    await expect(env.providers.build.disable(ID.buildJob, type)).rejects.toMatchObject({
      code: 'INPUT.BAD_ARGUMENT',
      meta: { expected: ['message', 'email', 'dingtalk'] },
    });
    expect(env.fake.requests).toHaveLength(0);
  });

  it('refuses an unknown notice type', () => {
    expect(() => noticeTypeFor('sms' as NoticeType, 'current')).toThrow(/notice type/);
  });

  it.each([
    ['legacy', 'DingTalk'],
    ['current', 'DING_TALK'],
  ] as const)('update (%s spelling) posts the JSON body', async (spelling, wire) => {
    await start(spelling);
    await env.providers.build.update(ID.buildJob, {
      noticeType: 'dingtalk',
      events: ['buildJobSuccess', 'buildJobFail'],
      paramConfig: '{"webhook":"x"}',
    });
    const rec = env.serviceRequests[0]!;
    expect(rec.path).toBe(`/v3/jobs/notice/${ID.buildJob}/update`);
    expect(rec.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(rec.body)).toEqual({
      notice_type: wire,
      enabled_event_type_names: ['buildJobSuccess', 'buildJobFail'],
      param_config: '{"webhook":"x"}',
      // UpdateNoticeRequestBody types both as strings; an update switches sending on, with the job's own settings.
      send_switch: 'true',
      use_project_notice: 'false',
    });
  });

  it('update without paramConfig omits param_config', async () => {
    await start('current');
    await env.providers.build.update(ID.buildJob, { noticeType: 'email', events: [] });
    expect(JSON.parse(env.serviceRequests[0]!.body)).toEqual({
      notice_type: 'MAIL',
      enabled_event_type_names: [],
      send_switch: 'true',
      use_project_notice: 'false',
    });
  });

  it('status "fail" in a 200 is PROVIDER.ERROR carrying the provider text (truncated)', async () => {
    await start('current', {
      status: 200,
      json: { result: null, error: `job is locked ${'z'.repeat(600)}`, status: 'fail' },
    });
    const err = (await env.providers.build.disable(ID.buildJob, 'email').catch((e: unknown) => e)) as OpsError;
    expect(err.code).toBe('PROVIDER.ERROR');
    expect(String(err.meta.providerMessage)).toMatch(/^job is locked z+…$/);
    expect(String(err.meta.providerMessage).length).toBeLessThanOrEqual(301);
    expect(err.meta.requestId).toBe('req-2');
  });

  it('status "fail" with a structured error keeps its code', async () => {
    await start('current', {
      status: 200,
      json: { error: { error_code: 'CB.00060201', error_msg: 'no permission' }, status: 'fail' },
    });
    await expect(env.providers.build.update(ID.buildJob, { noticeType: 'email', events: [] })).rejects.toMatchObject({
      code: 'PROVIDER.ERROR',
      meta: { providerCode: 'CB.00060201', providerMessage: 'no permission' },
    });
  });

  it('an unknown status is PROVIDER.BAD_RESPONSE', async () => {
    await start('current', { status: 200, json: { result: {} } });
    await expect(env.providers.build.disable(ID.buildJob, 'email')).rejects.toMatchObject({
      code: 'PROVIDER.BAD_RESPONSE',
    });
  });

  it('maps a 404 to PROVIDER.NOT_FOUND', async () => {
    await start('current', { status: 404, json: { error_code: 'CB.00060200', error_msg: 'job not found' } });
    await expect(env.providers.build.disable(ID.buildJob, 'email')).rejects.toMatchObject({
      code: 'PROVIDER.NOT_FOUND',
      meta: { providerCode: 'CB.00060200', requestId: 'req-2' },
    });
  });

  it('validates the job id and event names before sending', async () => {
    await start('current');
    await expect(env.providers.build.disable('short', 'email')).rejects.toMatchObject({ code: 'INPUT.BAD_ID' });
    await expect(env.providers.build.disable(`${ID.buildJob.slice(1)}/`, 'email')).rejects.toMatchObject({
      code: 'INPUT.BAD_ID',
    });
    await expect(
      env.providers.build.update(ID.buildJob, { noticeType: 'email', events: ['ok', 'bad event&x=1'] }),
    ).rejects.toMatchObject({ code: 'INPUT.BAD_ARGUMENT' });
    expect(env.fake.requests).toHaveLength(0);
  });
});
