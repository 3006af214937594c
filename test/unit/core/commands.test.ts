import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/core/commands.js';
import { OpsError } from '../../../src/core/errors.js';

const P = 'd80a8a6530324b7bac972cbb8a9f28ec';
const PL = '8bfbd69eac154a0da341705a36294aca';
const R = '12abeb9da0964cf3bd3ffd6813153e12';
const J = '97b4991cf3374d8d96e08b38f79c8827';
const S = '6ff8e898026447a9a3eaa592e94b9384';
const HW_URL = `https://devcloud.cn-north-4.huaweicloud.com/cicd/project/${P}/pipeline/detail/${PL}/${R}?v=1`;

function fails(text: string): OpsError {
  try {
    parseCommand(text);
  } catch (err) {
    expect(err).toBeInstanceOf(OpsError);
    return err as OpsError;
  }
  throw new Error(`expected "${text}" to fail`);
}

describe('command grammar', () => {
  it('parses reject with a CodeArts URL, a step and a quoted reason', () => {
    expect(parseCommand(`reject ${HW_URL} --step "Release gate" "tests are red" today`)).toEqual({
      op: 'review.reject',
      target: { cloud: 'huawei', region: 'cn-north-4', projectId: P, pipelineId: PL, runId: R },
      step: 'Release gate',
      reason: 'tests are red today',
    });
  });

  it('parses approve with explicit Huawei IDs including job-run and step-run', () => {
    expect(parseCommand(`approve huawei ${P} ${PL} ${R} ${J} ${S} ship it`)).toEqual({
      op: 'review.approve',
      target: { cloud: 'huawei', projectId: P, pipelineId: PL, runId: R, jobRunId: J, stepRunId: S },
      comment: 'ship it',
    });
  });

  it('parses Yunxiao URLs with the organization in the query, and explicit IDs with a job', () => {
    expect(parseCommand('pending https://flow.aliyun.com/pipelines/123/builds/45?organizationId=org1')).toEqual({
      op: 'review.pending',
      target: { cloud: 'yunxiao', organizationId: 'org1', pipelineId: '123', runId: '45' },
    });
    expect(parseCommand('reject yunxiao org1 123 45 777 flaky deploy')).toMatchObject({
      target: { cloud: 'yunxiao', organizationId: 'org1', pipelineId: '123', runId: '45', jobId: '777' },
      reason: 'flaky deploy',
    });
  });

  it('unwraps Slack link markup and curly quotes', () => {
    expect(parseCommand(`reject <${HW_URL}|run 7> \u201cnot today\u201d`)).toMatchObject({ reason: 'not today' });
  });

  it('parses the notify family', () => {
    expect(parseCommand(`notify disable ${J} DingTalk`)).toEqual({
      op: 'notice.disable',
      jobId: J,
      noticeType: 'dingtalk',
    });
    expect(parseCommand(`notify update ${J} MAIL buildJobSuccess,buildJobFail --param-config '{"a":1}'`)).toEqual({
      op: 'notice.update',
      jobId: J,
      noticeType: 'email',
      events: ['buildJobSuccess', 'buildJobFail'],
      paramConfig: '{"a":1}',
    });
    expect(parseCommand('notify show project abc123')).toEqual({ op: 'notice.show', scope: 'project', id: 'abc123' });
    expect(parseCommand('notify show tenant dom1')).toEqual({ op: 'notice.show', scope: 'tenant', id: 'dom1' });
  });

  it('gives help for empty input and help topics', () => {
    expect(parseCommand('')).toEqual({ op: 'help' });
    expect(parseCommand('help reject')).toEqual({ op: 'help', topic: 'reject' });
  });

  it('suggests the closest command for a typo', () => {
    const e = fails('rejcet x');
    expect(e.code).toBe('INPUT.UNKNOWN_COMMAND');
    expect(e.meta.suggestion).toBe('reject');
    expect(fails('aprove x').meta.suggestion).toBe('approve');
    expect(fails('notify disabel x').meta.suggestion).toBe('notify disable');
  });

  it('names the malformed argument and shows the accepted form', () => {
    const id = fails(`reject huawei ${P} not-an-id ${R}`);
    expect(id.code).toBe('INPUT.BAD_ID');
    expect(id.meta.field).toBe('pipeline');
    const missing = fails('approve');
    expect(missing.code).toBe('INPUT.MISSING_ARGUMENT');
    expect(String(missing.meta.usage)).toContain('approve <run-url | ids>');
    expect(fails(`reject ${HW_URL} --stpe x`).meta.suggestion).toBe('--step');
    expect(fails(`notify disable ${J} pigeon`).code).toBe('INPUT.BAD_ARGUMENT');
    expect(fails(`notify update ${J} email buildJobFail --param-config {bad`).meta.field).toBe('--param-config');
    expect(fails(`notify update ${J} email buildJobFail --param-config [1]`).meta.field).toBe('--param-config');
    // Event names are the documented set (ShowJobNoticeConfigInfo enable_map); a typo gets a suggestion.
    const typo = fails(`notify update ${J} email buildJobFial`);
    expect(typo.meta).toMatchObject({ field: 'events', suggestion: 'buildJobFail' });
    expect(String(typo.meta.usage)).toContain('forbiddenJob');
    expect(parseCommand(`notify update ${J} email BUILDJOBFAIL`)).toMatchObject({ events: ['buildJobFail'] });
    expect(parseCommand(`notify show build ${J}`)).toEqual({ op: 'notice.show', scope: 'build', id: J });
    expect(parseCommand(`postpone ${HW_URL} --step Wait`)).toMatchObject({ op: 'review.postpone', step: 'Wait' });
    expect(parseCommand(`delay ${HW_URL}`)).toMatchObject({ op: 'review.postpone' });
    expect(fails('pending yunxiao org 12a 4').meta.field).toBe('pipeline');
    expect(fails('reject "unterminated').code).toBe('INPUT.INVALID');
    expect(fails('pending http://example.com/x').code).toBe('INPUT.BAD_TARGET');
  });

  it('refuses path injection in URLs and IDs before they can reach a URL path', () => {
    expect(
      fails(`reject https://devcloud.cn-north-4.huaweicloud.com/cicd/project/..%2F..%2Fx/pipeline/detail/${PL}/${R}`)
        .code,
    ).toBe('INPUT.BAD_ID');
    expect(fails('pending https://flow.aliyun.com/pipelines/1%2F..%2F2/builds/3').code).toBe('INPUT.BAD_ID');
    expect(fails(`pending yunxiao ../org 1 2`).code).toBe('INPUT.BAD_ID');
    expect(fails(`notify disable ../${J.slice(3)} email`).code).toBe('INPUT.BAD_ID');
  });

  it('clips echoed input so a huge word cannot blow up a message', () => {
    const e = fails(`${'x'.repeat(500)} now`);
    expect(String(e.meta.word).length).toBeLessThanOrEqual(41);
  });
});
