import { afterEach, describe, expect, it } from 'vitest';
import { OpsError } from '../../../../src/core/errors.js';
import type { HuaweiRunRef } from '../../../../src/core/targets.js';
import { type HuaweiEnv, SECRETS, startHuaweiEnv } from './env.js';
import { ID, type Recorded } from './helpers.js';

const ref: HuaweiRunRef = { cloud: 'huawei', projectId: ID.project, pipelineId: ID.pipeline, runId: ID.run };
const review = { id: ID.step, jobId: ID.job, name: 'r', status: 'waiting' as const };

/** Echoes everything it received (headers included) in the error message, like a careless gateway might. */
function echo(status: number) {
  return (rec: Recorded) => ({
    status,
    json: { error_code: 'ECHO', error_msg: `${JSON.stringify(rec.headers)} ${rec.body}` },
  });
}

async function failures(env: HuaweiEnv): Promise<OpsError[]> {
  const out: OpsError[] = [];
  const attempts: Array<() => Promise<unknown>> = [
    () => env.providers.pipeline.getRun(ref),
    () => env.providers.pipeline.decide(ref, review, 'approve'),
    () => env.providers.build.disable(ID.buildJob, 'email'),
    () => env.providers.build.update(ID.buildJob, { noticeType: 'email', events: ['buildJobFail'] }),
    () => env.providers.check.show({ scope: 'tenant', domainId: 'abc' }),
  ];
  for (const status of [400, 403, 404, 500]) {
    env.routes.length = 0;
    env.routes.push(echo(status));
    for (const attempt of attempts) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      out.push(err as OpsError);
    }
  }
  // The echo must really have carried credentials (now redacted), or this test proves nothing.
  expect(out.some((e) => String(e.meta.providerMessage).includes('***'))).toBe(true);
  return out;
}

function assertClean(errors: OpsError[], env: HuaweiEnv): void {
  const secrets = env.secretValues();
  expect(secrets.length).toBeGreaterThan(0);
  const logs = JSON.stringify(env.logger.lines);
  for (const err of errors) {
    const text = `${JSON.stringify(err)} ${err.message} ${String(err.stack)} ${JSON.stringify(err.meta)}`;
    for (const s of secrets) {
      expect(text).not.toContain(s);
      expect(logs).not.toContain(s);
    }
    // The signature (hex) must not leak either.
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  }
}

describe('no secret in errors or logs', () => {
  let env: HuaweiEnv;
  afterEach(async () => env.close());

  it('token mode: password and token values never appear', async () => {
    env = await startHuaweiEnv('token');
    const errors = await failures(env);
    env.rejectNextServiceCalls.count = 2;
    errors.push((await env.providers.pipeline.getRun(ref).catch((e: unknown) => e)) as OpsError);
    expect(env.iam.valid.size).toBeGreaterThan(0);
    assertClean(errors, env);
  });

  it('token mode: IAM refusing (and echoing) the password', async () => {
    env = await startHuaweiEnv('token');
    env.iam.failNext(
      { status: 401, json: { error: { code: 401, message: `password ${SECRETS.password} is wrong`, title: 'x' } } },
      { status: 400, json: { error_code: 'IAM.0011', error_msg: `bad body ${SECRETS.password}` } },
    );
    const a = (await env.providers.pipeline.getRun(ref).catch((e: unknown) => e)) as OpsError;
    const b = (await env.providers.check
      .show({ scope: 'project', projectId: 'p' })
      .catch((e: unknown) => e)) as OpsError;
    expect(a.code).toBe('PROVIDER.AUTH_FAILED');
    expect(b.code).toBe('PROVIDER.BAD_REQUEST');
    assertClean([a, b], env);
  });

  it('AK/SK mode: SK, security token and signature never appear', async () => {
    env = await startHuaweiEnv('aksk');
    const errors = await failures(env);
    assertClean(errors, env);
  });
});
