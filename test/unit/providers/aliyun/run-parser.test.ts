import { describe, expect, it } from 'vitest';
import type { YunxiaoRunRef } from '../../../../src/core/targets.js';
import { parseYunxiaoRun, reviewStatus } from '../../../../src/providers/aliyun/run-parser.js';

const ref: YunxiaoRunRef = { cloud: 'yunxiao', organizationId: 'org1', pipelineId: '123', runId: '45' };

const validate = (extra: Record<string, unknown> = {}) => ({
  type: 'PassPipelineValidate',
  disable: false,
  params: { validators: ['alice'] },
  ...extra,
});

function runBody(status: string, jobs: unknown[]) {
  return {
    pipelineId: 123,
    pipelineRunId: 45,
    status,
    stages: [
      {
        index: '0',
        name: 'Build',
        stageInfo: { name: 'Build', jobs: [{ id: 1, name: 'compile', status: 'SUCCESS', actions: [] }] },
      },
      { index: '1', name: 'Deploy', stageInfo: { name: 'Deploy', jobs } },
    ],
  };
}

describe('parseYunxiaoRun', () => {
  it('reads a devops pipelineRun wrapper and finds the waiting checkpoint', () => {
    const body = {
      requestId: 'r',
      success: true,
      pipelineRun: runBody('RUNNING', [
        {
          id: 777,
          name: 'Manual check',
          status: 'RUNNING',
          actions: [validate(), { type: 'RefusePipelineValidate', disable: false }],
        },
      ]),
    };
    expect(parseYunxiaoRun(body, ref, 'l')).toEqual({
      ref,
      status: 'RUNNING',
      finished: false,
      evidence: { url: 'https://flow.aliyun.com/pipelines/123/builds/45?organizationId=org1' },
      reviews: [
        {
          id: '777',
          jobId: '777',
          kind: 'review',
          settings: { approvers: ['alice'] },
          name: 'Manual check',
          stage: 'Deploy',
          status: 'waiting',
          rawStatus: 'RUNNING',
          approvers: ['alice'],
        },
      ],
    });
  });

  it('reads an rdc run at top level; finished statuses', () => {
    for (const status of ['SUCCESS', 'FAIL', 'FAILED', 'CANCELED']) {
      expect(parseYunxiaoRun(runBody(status, []), ref, 'l').finished, status).toBe(true);
    }
    expect(parseYunxiaoRun(runBody('WAITING', []), ref, 'l').finished).toBe(false);
  });

  it('classifies reviews and skips what it cannot read', () => {
    const view = parseYunxiaoRun(
      runBody('RUNNING', [
        { id: '10', name: 'done', status: 'SUCCESS', actions: [validate()] },
        { id: 11, name: 'refused', status: 'FAIL', actions: [validate()] },
        { id: 12, name: 'not mine', status: 'RUNNING', actions: [validate({ disable: true })] },
        { id: 13, name: 'odd validators', status: 'RUNNING', actions: [validate({ params: { validators: [1, 2] } })] },
        { id: 14, name: 'plain job', status: 'RUNNING', actions: [{ type: 'RetryJob' }] },
        { name: 'no id', status: 'RUNNING', actions: [validate()] },
        { id: 15, status: 'RUNNING', actions: ['garbage', validate({ params: null })] },
        'not a job',
      ]),
      ref,
      'l',
    );
    expect(view.reviews.map((r) => [r.id, r.status, r.approvers])).toEqual([
      ['10', 'approved', ['alice']],
      ['11', 'rejected', ['alice']],
      ['12', 'other', ['alice']],
      ['13', 'waiting', undefined],
      ['15', 'waiting', undefined],
    ]);
    expect(view.reviews[4]?.name).toBe('15');
  });

  it('reads a run without a status as UNKNOWN (null is absent); a body that is no run is PROVIDER.BAD_RESPONSE', () => {
    expect(parseYunxiaoRun({ pipelineRun: { stages: [], status: null } }, ref, 'l')).toMatchObject({
      status: 'UNKNOWN',
      finished: false,
    });
    expect(() => parseYunxiaoRun('nope', ref, 'l')).toThrowError(
      expect.objectContaining({ code: 'PROVIDER.BAD_RESPONSE' }),
    );
  });
});

describe('reviewStatus', () => {
  it('is waiting only while enabled and not final', () => {
    expect(reviewStatus('RUNNING', false)).toBe('waiting');
    expect(reviewStatus(undefined, false)).toBe('waiting');
    expect(reviewStatus('SUCCESS', false)).toBe('approved');
    expect(reviewStatus('FAILED', true)).toBe('rejected');
    expect(reviewStatus('CANCELED', false)).toBe('other');
    expect(reviewStatus('RUNNING', true)).toBe('other');
  });
});
