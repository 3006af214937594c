import { describe, expect, it } from 'vitest';
import { defaultHuaweiEndpoints, normalizeEndpoint } from '../../../../src/providers/huawei/endpoints.js';
import { createManualReviewMatcher, isFinishedRunStatus } from '../../../../src/providers/huawei/manual-review.js';

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

describe('manual review matcher', () => {
  it('matches the configured tasks only and maps statuses', () => {
    const m = createManualReviewMatcher();
    expect(m.isManualReview({ task: 'official_devcloud_manualReview' })).toBe(true);
    expect(m.isManualReview({ task: 'official_maven_build' })).toBe(false);
    expect(m.isManualReview({})).toBe(false);
    const custom = createManualReviewMatcher(['my_review']);
    expect(custom.isManualReview({ task: 'official_devcloud_manualReview' })).toBe(false);
    expect(custom.isManualReview({ task: 'My_Review' })).toBe(true);
    for (const s of ['PAUSED', 'PENDING', 'SUSPEND', 'WAITING', 'paused']) expect(m.reviewStatus(s)).toBe('waiting');
    expect(m.reviewStatus('COMPLETED')).toBe('approved');
    for (const s of ['FAILED', 'REFUSED', 'REJECTED']) expect(m.reviewStatus(s)).toBe('rejected');
    for (const s of ['RUNNING', 'INIT', '', undefined, null]) expect(m.reviewStatus(s)).toBe('other');
  });

  it('knows finished run statuses', () => {
    expect(['COMPLETED', 'FAILED', 'CANCELED'].every(isFinishedRunStatus)).toBe(true);
    expect(['RUNNING', 'PAUSED', 'SUSPEND', 'IGNORED'].some(isFinishedRunStatus)).toBe(false);
  });
});
