import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpsError } from '../../../src/core/errors.js';
import type { HuaweiRunRef, YunxiaoRunRef } from '../../../src/core/targets.js';
import { isSuccess, readFailure, yunxiaoError } from '../../../src/providers/aliyun/errors.js';
import { inspectYunxiaoRun } from '../../../src/providers/aliyun/run-inspect.js';
import { parseYunxiaoRun } from '../../../src/providers/aliyun/run-parser.js';
import type { HttpResponse } from '../../../src/net/http-client.js';
import { hasErrorBody, huaweiHttpError } from '../../../src/providers/huawei/errors.js';
import { createGateMatcher } from '../../../src/providers/huawei/gates.js';
import { inspectionOf, runDetailSchema, runViewOf } from '../../../src/providers/huawei/run-detail.js';
import { type HuaweiEnv, startHuaweiEnv } from './huawei/env.js';
import { ID } from './huawei/helpers.js';

/** The parsers over every fixture in test/fixtures (shapes from public sources: test/fixtures/README.md). */
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const load = (path: string): unknown => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
const files = (dir: string) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.json'));
const response = (json: unknown, status = 200): HttpResponse =>
  ({ status, headers: { 'x-request-id': 'req-1' }, json, text: JSON.stringify(json) }) as unknown as HttpResponse;

const hwRef: HuaweiRunRef = {
  cloud: 'huawei',
  region: 'cn-north-4',
  projectId: 'd80a8a6530324b7bac972cbb8a9f28ec',
  pipelineId: '8bfbd69eac154a0da341705a36294aca',
  runId: '94511c7207474053ab5f6e2dd5624cd5',
};
const yxRef: YunxiaoRunRef = { cloud: 'yunxiao', organizationId: 'org1', pipelineId: '1234567', runId: '89' };
const matcher = createGateMatcher();

function huaweiView(file: string) {
  const parsed = runDetailSchema.parse(load(`huawei/${file}`));
  return runViewOf(parsed, hwRef, matcher, 'minutes');
}

describe('fixtures', () => {
  it('every fixture is listed with its public source in test/fixtures/README.md', () => {
    const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
    for (const dir of ['huawei', 'yunxiao'])
      for (const f of files(dir)) expect(readme, `${dir}/${f}`).toContain(`${dir}/${f}`);
  });
});

describe('CodeArts run detail fixtures', () => {
  it('three gates: manual review, delayed execution, stage check point, with settings and evidence', () => {
    const view = huaweiView('run-detail-three-gates.json');
    expect(view.status).toBe('RUNNING');
    expect(view.finished).toBe(false);
    expect(view.reviews.map((r) => [r.kind, r.name, r.status, r.jobId === '' ? 'no job' : 'job'])).toEqual([
      ['review', 'ManualReview', 'waiting', 'job'],
      ['delay', 'DelayedExecution', 'waiting', 'job'],
      ['stage-check', 'Deploy', 'waiting', 'no job'],
    ]);
    expect(view.reviews[0]).toMatchObject({
      id: 'c2b2c3d4e5f60718293a4b5c6d7e8f90',
      jobId: 'b2b2c3d4e5f60718293a4b5c6d7e8f90',
      stage: 'Approve',
      rawStatus: 'RUNNING',
      since: 1764400310000,
      approvers: ['05d8ca972f114765a8984795a8aa4d41', '7c1e5a3b9d2f4e6a8b0c1d2e3f4a5b6c'],
      settings: {
        approvers: ['05d8ca972f114765a8984795a8aa4d41', '7c1e5a3b9d2f4e6a8b0c1d2e3f4a5b6c'],
        strategy: 'all',
        source: 'members',
        onTimeout: 'reject',
        timeoutMinutes: 3600,
      },
    });
    expect(view.reviews[2]).toMatchObject({ id: 'd3b2c3d4e5f60718293a4b5c6d7e8f90', jobId: '' });
    expect(view.evidence).toEqual({
      trigger: 'Manual',
      triggeredBy: 'devops_zhang',
      startedAt: 1764400000000,
      repository: 'payments',
      branch: 'release/2.4',
      commitId: '2f9c1a7e5b3d4c6a8e0f1b2c3d4e5f6a7b8c9d0e',
      commitMessage: 'Release 2.4: retry failed payouts',
      url: expect.stringContaining(
        '/pipeline/detail/8bfbd69eac154a0da341705a36294aca/94511c7207474053ab5f6e2dd5624cd5',
      ),
    });
  });

  it('finished run: approved, rejected and cancelled gates; the run is finished', () => {
    const view = huaweiView('run-detail-finished.json');
    expect(view.finished).toBe(true);
    expect(view.reviews.map((r) => [r.kind, r.status])).toEqual([
      ['review', 'approved'],
      ['delay', 'rejected'],
      ['stage-check', 'other'],
    ]);
  });

  it('nulls and missing fields everywhere: the gate is still read', () => {
    const view = huaweiView('run-detail-nulls.json');
    expect(view.reviews).toEqual([
      {
        id: 'c2b2c3d4e5f60718293a4b5c6d7e8f90',
        jobId: 'b2b2c3d4e5f60718293a4b5c6d7e8f90',
        kind: 'review',
        name: 'c2b2c3d4e5f60718293a4b5c6d7e8f90',
        status: 'waiting',
        rawStatus: 'RUNNING',
      },
    ]);
    expect(view.evidence?.url).toMatch(/^https:\/\/devcloud\.cn-north-4\.huaweicloud\.com\//);
  });

  it('inspection: every stage, entry check, job and step; the unknown plugin is named as a look-alike', () => {
    const tree = inspectionOf(runDetailSchema.parse(load('huawei/run-detail-three-gates.json')), hwRef, matcher);
    const steps = tree.stages.flatMap((s) => [...s.pre, ...s.jobs.flatMap((j) => j.steps), ...s.post]);
    expect(steps).toHaveLength(8);
    expect(steps.filter((s) => s.gate).map((s) => s.gate?.kind)).toEqual(['review', 'delay', 'stage-check']);
    expect(steps.filter((s) => s.suspect).map((s) => s.task)).toEqual(['thirdparty_acme_approval']);
    expect(steps.filter((s) => !s.gate && !s.suspect).every((s) => s.task !== undefined)).toBe(true);
  });

  it('error bodies: flat and nested codes are errors even with HTTP 200; queued codes are PROVIDER.QUEUED', () => {
    expect(hasErrorBody(load('huawei/decide-success.json'))).toBe(false);
    expect(hasErrorBody(load('huawei/build-notice-update.json'))).toBe(false);
    const flat = huaweiHttpError(response(load('huawei/error-body-flat.json')), 'l');
    expect(flat).toMatchObject({ code: 'PROVIDER.ERROR', meta: { providerCode: 'DEVPIPE.00011104', status: 200 } });
    const nested = huaweiHttpError(response(load('huawei/error-body-nested.json')), 'l');
    expect(nested).toMatchObject({
      code: 'PROVIDER.NOT_FOUND',
      meta: { providerCode: 'DEVPIPE.00011401', providerMessage: 'The pipeline does not exist.' },
    });
    const queued = huaweiHttpError(response(load('huawei/error-body-queued.json')), 'l');
    expect(queued.code).toBe('PROVIDER.QUEUED');
    expect(queued.meta.providerMessage).toContain('queue');
  });
});

describe('CodeArts Build notice fixtures', () => {
  let env: HuaweiEnv;
  afterEach(async () => env.close());

  it('ListNotice: notice types with their enabled events; param_config content is never copied', async () => {
    env = await startHuaweiEnv('token');
    env.routes.push((rec) =>
      rec.path === `/v3/jobs/notice/${ID.buildJob}/query`
        ? { status: 200, json: load('huawei/build-notice-list.json') }
        : undefined,
    );
    const shown = await env.providers.build.show?.(ID.buildJob);
    expect(shown?.settings).toEqual([
      {
        noticeType: 'DING_TALK',
        events: {
          buildJobFail: false,
          updateConfigJob: false,
          buildJobSuccess: false,
          deleteJob: false,
          forbiddenJob: false,
        },
        hasParamConfig: false,
      },
      {
        noticeType: 'MESSAGE',
        events: {
          buildJobFail: true,
          updateConfigJob: true,
          buildJobSuccess: true,
          deleteJob: true,
          forbiddenJob: true,
        },
        hasParamConfig: false,
      },
    ]);
  });

  it('an HTTP 200 error body from Build is a coded error keeping the provider code', async () => {
    env = await startHuaweiEnv('token');
    env.routes.push(() => ({
      status: 200,
      json: { error: { code: 'CB.00060200', message: 'The build job does not exist.' } },
    }));
    const err = (await env.providers.build.disable(ID.buildJob, 'email').catch((e: unknown) => e)) as OpsError;
    expect(err.meta).toMatchObject({ providerCode: 'CB.00060200', providerMessage: 'The build job does not exist.' });
  });
});

/** Every position of a JSON value, as a path of keys and indexes. */
function positions(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [path, ...entries.flatMap(([k, v]) => positions(v, [...path, k]))];
}

function withNullAt(value: unknown, path: Array<string | number>): unknown {
  if (path.length === 0) return null;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = null;
  return copy;
}

describe('Yunxiao run fixtures', () => {
  it('rdc and devops runs: the waiting checkpoint with its validators and the evidence', () => {
    for (const file of ['run-rdc-waiting.json', 'run-devops-waiting.json']) {
      const view = parseYunxiaoRun(load(`yunxiao/${file}`), yxRef, 'l');
      expect(view.reviews, file).toEqual([
        {
          id: '7002',
          jobId: '7002',
          kind: 'review',
          name: '人工卡点',
          stage: '审批',
          status: 'waiting',
          rawStatus: 'RUNNING',
          since: 1764400310000,
          approvers: ['66a0b8c9d1e2f3a4b5c6d7e8', '77b1c9d0e2f3a4b5c6d7e8f9'],
          settings: { approvers: ['66a0b8c9d1e2f3a4b5c6d7e8', '77b1c9d0e2f3a4b5c6d7e8f9'] },
        },
      ]);
      expect(view.evidence).toMatchObject({
        trigger: 'Manual',
        triggeredBy: '66a0b8c9d1e2f3a4b5c6d7e8',
        repository: 'https://codeup.aliyun.com/acme/payments.git',
        branch: 'release/2.4',
        startedAt: 1764400000000,
      });
    }
  });

  it('every field null at once: the read succeeds and the checkpoint is still there', () => {
    const view = parseYunxiaoRun(load('yunxiao/run-rdc-nulls.json'), yxRef, 'l');
    expect(view.status).toBe('UNKNOWN');
    expect(view.reviews.map((r) => [r.id, r.status])).toEqual([['7002', 'waiting']]);
    expect(inspectYunxiaoRun(load('yunxiao/run-rdc-nulls.json'), yxRef).stages[0]?.jobs[0]?.steps[0]?.gate).toEqual({
      kind: 'review',
      status: 'waiting',
    });
  });

  it('null in every nullable position, one at a time: never a failed read, never a dropped review', () => {
    const run = load('yunxiao/run-rdc-waiting.json');
    // Nulling the gate's own containers (stages, its stage, stageInfo, jobs, its job, actions, its action) or what
    // identifies it (job id, action type) leaves no gate to read; every other position must not matter.
    const gate = ['stages', 1, 'stageInfo', 'jobs', 0, 'actions', 0];
    const key = (p: Array<string | number>) => p.join('.');
    const skip = new Set([
      ...gate.map((_, i) => key(gate.slice(0, i + 1))),
      key([...gate, 'type']),
      key([...gate.slice(0, 5), 'id']),
    ]);
    let checked = 0;
    for (const p of positions(run)) {
      if (p.length === 0 || skip.has(key(p))) continue;
      const view = parseYunxiaoRun(withNullAt(run, p), yxRef, 'l');
      expect(
        view.reviews.map((r) => r.id),
        p.join('.'),
      ).toEqual(['7002']);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('decision answers read as success', () => {
    expect(isSuccess(response(load('yunxiao/decide-devops-success.json')))).toBe(true);
    expect(isSuccess(response(load('yunxiao/decide-rdc-success.json')))).toBe(true);
  });

  it('errors keep errorDescription beside errorCode and errorMessage', () => {
    const body = load('yunxiao/error-errorDescription.json');
    expect(readFailure(response(body, 404))).toMatchObject({
      providerCode: 'InvalidPipelineRun.NotFound',
      providerMessage: 'pipeline run not found',
      providerDescription: '流水线运行实例不存在',
    });
    expect(yunxiaoError(response(body, 200), 'l')).toMatchObject({
      code: 'PROVIDER.NOT_FOUND',
      meta: { providerDescription: '流水线运行实例不存在' },
    });
    expect(
      readFailure(response({ errorCode: 'X', errorMessage: null, errorDescription: 'only this' }, 400)),
    ).toMatchObject({
      providerMessage: 'only this',
    });
  });
});
