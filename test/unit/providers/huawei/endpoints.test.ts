import { describe, expect, it } from 'vitest';
import { defaultHuaweiEndpoints, normalizeEndpoint } from '../../../../src/providers/huawei/endpoints.js';
import { createGateMatcher, isFinishedRunStatus, readGateSettings } from '../../../../src/providers/huawei/gates.js';

describe('defaultHuaweiEndpoints', () => {
  it('builds the regional endpoints', () => {
    expect(defaultHuaweiEndpoints('cn-north-4')).toEqual({
      iam: 'https://iam.cn-north-4.myhuaweicloud.com',
      pipeline: 'https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com',
      build: 'https://cloudbuild-ext.cn-north-4.myhuaweicloud.com',
      check: 'https://codearts-check.cn-north-4.myhuaweicloud.com',
    });
  });

  it.each([
    ['tr-west-1', 'https://pipeline-external.tr-west-1.myhuaweicloud.com'],
    ['la-south-2', 'https://pipeline-external.la-south-2.myhuaweicloud.com'],
    ['af-north-1', 'https://pipeline.af-north-1.myhuaweicloud.com'],
    ['me-east-1', 'https://pipeline.me-east-1.myhuaweicloud.com'],
    ['af-south-1', 'https://pipeline.af-south-1.myhuaweicloud.com'],
    ['ap-southeast-3', 'https://cloudpipeline-ext.ap-southeast-3.myhuaweicloud.com'],
  ])('pipeline endpoint of %s is %s', (region, pipeline) => {
    expect(defaultHuaweiEndpoints(region).pipeline).toBe(pipeline);
  });

  it('lets the caller override any endpoint (normalized to an origin)', () => {
    const e = defaultHuaweiEndpoints('cn-north-4', {
      iam: 'https://iam.myhuaweicloud.com/',
      check: 'http://127.0.0.1:9000',
    });
    expect(e.iam).toBe('https://iam.myhuaweicloud.com');
    expect(e.check).toBe('http://127.0.0.1:9000');
    expect(e.build).toBe('https://cloudbuild-ext.cn-north-4.myhuaweicloud.com');
  });

  it('refuses a region that could change the host, and endpoints that are not origins', () => {
    expect(() => defaultHuaweiEndpoints('evil.com/x')).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    expect(() => defaultHuaweiEndpoints('cn-north-4.attacker')).toThrow(/region/);
    for (const bad of ['not a url', 'ftp://h', 'https://h/path', 'https://u:p@h', 'https://h?x=1']) {
      expect(() => normalizeEndpoint('iam', bad)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    }
  });
});

describe('gate matcher (src/providers/huawei/gates.ts)', () => {
  it('matches the real plugin names by place and maps StepRun statuses', () => {
    const m = createGateMatcher();
    expect(m.kindOf({ task: 'official_devcloud_checkpoint' }, 'job')).toBe('review');
    expect(m.kindOf({ task: 'official_devcloud_delay' }, 'job')).toBe('delay');
    expect(m.kindOf({ task: 'official_devcloud_manualTrigger' }, 'pre')).toBe('stage-check');
    expect(m.kindOf({ task: 'official_devcloud_autoTrigger' }, 'pre')).toBeUndefined();
    expect(m.kindOf({ task: 'official_devcloud_checkpoint' }, 'pre')).toBeUndefined();
    // The guessed name of the old matcher appears in no public source.
    expect(m.kindOf({ task: 'official_devcloud_manualReview' }, 'job')).toBeUndefined();
    expect(m.kindOf({}, 'job')).toBeUndefined();
    const custom = createGateMatcher({ review: ['my_review'] });
    expect(custom.kindOf({ task: 'official_devcloud_checkpoint' }, 'job')).toBeUndefined();
    expect(custom.kindOf({ task: 'My_Review' }, 'job')).toBe('review');
    expect(m.status('RUNNING')).toBe('waiting');
    expect(m.status('COMPLETED')).toBe('approved');
    expect(m.status('FAILED')).toBe('rejected');
    for (const s of ['CANCELED', 'INIT', 'SKIPPED']) expect(m.status(s)).toBe('other');
    expect(m.looksLikeGate({ task: 'thirdparty_acme_approval' })).toBe(true);
    expect(m.looksLikeGate({ name: '人工审批' })).toBe(true);
    expect(m.looksLikeGate({ task: 'official_devcloud_cloudBuild', name: 'Build' })).toBe(false);
  });

  it('reads the checkpoint inputs as the terraform test defines them', () => {
    const inputs = [
      { key: 'audit_source', value: 'members' },
      { key: 'approvers', value: 'u1,u2' },
      { key: 'audit_role', value: '' },
      { key: 'check_strategy', value: 'any' },
      { key: 'timeout_strategy', value: 'reject' },
      { key: 'timeout', value: 3600 },
    ];
    expect(readGateSettings(inputs, 'minutes')).toEqual({
      approvers: ['u1', 'u2'],
      strategy: 'any',
      source: 'members',
      onTimeout: 'reject',
      timeoutMinutes: 3600,
    });
    expect(readGateSettings(inputs, 'seconds')?.timeoutMinutes).toBe(60);
    expect(readGateSettings(null)).toBeUndefined();
    expect(readGateSettings([{ key: 'timeout', value: 'soon' }, null, 'x'])).toBeUndefined();
  });

  it('knows finished run statuses', () => {
    expect(['COMPLETED', 'FAILED', 'CANCELED'].every(isFinishedRunStatus)).toBe(true);
    expect(['RUNNING', 'PAUSED', 'SUSPEND', 'IGNORED'].some(isFinishedRunStatus)).toBe(false);
  });
});
