import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/app/config.js';

const AKSK = { HUAWEI_AK: 'AK0000000000000000001', HUAWEI_SK: 'sk-secret-value-123' };
const P1 = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const P2 = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';

describe('cloud configuration: regions and gate tasks', () => {
  it('reads HUAWEI_PROJECT_IDS; with AK/SK the default region may take its project from there', () => {
    const c = loadConfig({ ...AKSK, HUAWEI_PROJECT_IDS: `cn-north-4:${P1}, ap-southeast-1:${P2}` });
    expect(c.huawei?.projectIds).toEqual({ 'cn-north-4': P1, 'ap-southeast-1': P2 });
    expect(c.huawei?.auth).toMatchObject({ kind: 'aksk', projectId: P1 });
  });

  it('refuses a malformed HUAWEI_PROJECT_IDS, naming the variable and never the value', () => {
    for (const bad of ['cn-north-4', 'cn-north-4:', 'nowhere:abc', `cn-north-4:${P1}:x`, 'cn-north-4:ab-cd']) {
      let err: unknown;
      try {
        loadConfig({ ...AKSK, HUAWEI_PROJECT_ID: P1, HUAWEI_PROJECT_IDS: bad });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toMatchObject({ code: 'CONFIG.INVALID', meta: { key: 'HUAWEI_PROJECT_IDS' } });
      expect(String((err as Error).message)).not.toContain(P1);
    }
  });

  it('AK/SK without a project for the default region names HUAWEI_PROJECT_ID', () => {
    expect(() => loadConfig({ ...AKSK, HUAWEI_PROJECT_IDS: `ap-southeast-1:${P2}` })).toThrowError(
      expect.objectContaining({ code: 'CONFIG.INVALID', meta: expect.objectContaining({ key: 'HUAWEI_PROJECT_ID' }) }),
    );
  });

  it('reads the gate task lists and the review timeout unit', () => {
    const c = loadConfig({
      ...AKSK,
      HUAWEI_PROJECT_ID: P1,
      HUAWEI_MANUAL_REVIEW_TASKS: 'official_devcloud_checkpoint, my_review',
      HUAWEI_DELAY_TASKS: 'official_devcloud_delay',
      HUAWEI_STAGE_CHECK_TASKS: 'official_devcloud_manualTrigger,my_gate',
      HUAWEI_REVIEW_TIMEOUT_UNIT: 'hours',
    });
    expect(c.huawei).toMatchObject({
      manualReviewTasks: ['official_devcloud_checkpoint', 'my_review'],
      delayTasks: ['official_devcloud_delay'],
      stageCheckTasks: ['official_devcloud_manualTrigger', 'my_gate'],
      reviewTimeoutUnit: 'hours',
    });
    expect(() => loadConfig({ ...AKSK, HUAWEI_PROJECT_ID: P1, HUAWEI_REVIEW_TIMEOUT_UNIT: 'days' })).toThrowError(
      expect.objectContaining({ meta: expect.objectContaining({ key: 'HUAWEI_REVIEW_TIMEOUT_UNIT' }) }),
    );
    expect(() => loadConfig({ ...AKSK, HUAWEI_PROJECT_ID: P1, HUAWEI_DELAY_TASKS: 'a b' })).toThrowError(
      expect.objectContaining({ meta: expect.objectContaining({ key: 'HUAWEI_DELAY_TASKS' }) }),
    );
  });
});
