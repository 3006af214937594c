import { afterEach, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { huaweiSigned, send } from './fake-client.js';

const clock = Date.UTC(2025, 0, 1, 8, 0, 0);
let cloud: FakeCloud | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function refuseTwice(repeatable: boolean): Promise<{ statuses: number[]; review: string; run: string }> {
  cloud = await startFakeCloud({ now: () => clock, huaweiRepeatableDecisions: repeatable });
  const c = cloud;
  const run = c.huawei.addRun({ reviews: 2 });
  const [first, second] = run.reviews as [(typeof run.reviews)[0], (typeof run.reviews)[0]];
  const base = `/v5/${run.projectId}/api/pipelines/${run.pipelineId}/pipeline-runs/${run.runId}`;
  const refuse = `${base}/jobs/${first.jobRunId}/steps/${first.stepRunId}/refuse`;
  const passOther = `${base}/jobs/${second.jobRunId}/steps/${second.stepRunId}/pass`;
  const statuses: number[] = [];
  for (const path of [refuse, refuse, passOther]) {
    statuses.push((await send(c, 'POST', path, huaweiSigned(c, 'POST', path, '', clock))).status);
  }
  return { statuses, review: c.huawei.review(run.runId, first.stepRunId).status, run: c.huawei.run(run.runId).status };
}

describe('fake Huawei: huaweiRepeatableDecisions (benchmarks)', () => {
  it('is off by default: a second decision answers the documented 400', async () => {
    expect(await refuseTwice(false)).toEqual({ statuses: [200, 400, 400], review: 'FAILED', run: 'FAILED' });
  });

  it('when on, repeated decisions answer 200 and leave the state of the first decision', async () => {
    expect(await refuseTwice(true)).toEqual({ statuses: [200, 200, 200], review: 'FAILED', run: 'FAILED' });
  });

  it('still authenticates and still answers 404 for an unknown review', async () => {
    cloud = await startFakeCloud({ now: () => clock, huaweiRepeatableDecisions: true });
    const c = cloud;
    const run = c.huawei.addRun();
    const review = run.reviews[0]!;
    const base = `/v5/${run.projectId}/api/pipelines/${run.pipelineId}/pipeline-runs/${run.runId}`;
    const refuse = `${base}/jobs/${review.jobRunId}/steps/${review.stepRunId}/refuse`;
    expect((await send(c, 'POST', refuse, {})).status).toBe(401);
    const unknown = `${base}/jobs/${review.jobRunId}/steps/${'0'.repeat(32)}/refuse`;
    expect((await send(c, 'POST', unknown, huaweiSigned(c, 'POST', unknown, '', clock))).status).toBe(404);
    expect(c.huawei.review(run.runId, review.stepRunId).status).toBe('RUNNING');
  });
});
