import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { seedDemo } from '../../../src/fakes/cloud/seed.js';
import { huaweiSigned, send } from './fake-client.js';

/**
 * The fake cloud serves the shapes of the fixtures (test/fixtures, each from a public source): same keys at the run,
 * stage, job, step and source level, so a client that reads the fixtures reads the fake the same way.
 */
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const load = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, unknown>;
const keys = (o: unknown) => Object.keys(o as object).sort();

let cloud: FakeCloud;
const clock = Date.UTC(2025, 0, 1, 8, 0, 0);
beforeEach(async () => {
  cloud = await startFakeCloud({ now: () => clock });
});
afterEach(() => cloud.close());

type Obj = Record<string, unknown> & {
  stages: Array<
    Record<string, unknown> & { jobs: Array<Record<string, unknown> & { steps: unknown[] }>; pre: unknown[] }
  >;
};

describe('fake cloud shapes = fixture shapes', () => {
  it('CodeArts run detail: run, stage, pre step, job, step, inputs and source keys', async () => {
    const run = seedDemo(cloud).huaweiGates;
    const detail = `/v5/${run.projectId}/api/pipelines/${run.pipelineId}/pipeline-runs/detail?pipeline_run_id=${run.runId}`;
    const served = (await send(cloud, 'GET', detail, huaweiSigned(cloud, 'GET', detail, '', clock))).json as Obj;
    const fixture = load('huawei/run-detail-three-gates.json') as Obj;
    expect(keys(served)).toEqual(keys(fixture));
    expect(keys(served.stages[0])).toEqual(keys(fixture.stages[0]));
    expect(keys(served.stages[0]?.pre[0])).toEqual(keys(fixture.stages[0]?.pre[0]));
    expect(keys(served.stages[1]?.jobs[0])).toEqual(keys(fixture.stages[1]?.jobs[0]));
    const step = (o: Obj) => o.stages[1]?.jobs[0]?.steps[0] as { inputs: Array<{ key: string }> };
    expect(keys(step(served))).toEqual(keys(step(fixture)));
    expect(step(served).inputs.map((i) => i.key)).toEqual(step(fixture).inputs.map((i) => i.key));
    const source = (o: Obj) => (o.sources as Array<{ params: { build_params: object } }>)[0]!;
    expect(keys(source(served).params)).toEqual(keys(source(fixture).params));
    expect(keys(source(served).params.build_params)).toEqual(keys(source(fixture).params.build_params));
    const tasks = served.stages
      .flatMap((s) => [
        ...(s.pre as Array<{ task: string }>),
        ...s.jobs.flatMap((j) => j.steps as Array<{ task: string }>),
      ])
      .map((s) => s.task);
    expect(tasks).toEqual(
      expect.arrayContaining([
        'official_devcloud_checkpoint',
        'official_devcloud_delay',
        'official_devcloud_manualTrigger',
        'thirdparty_acme_approval',
      ]),
    );
  });

  it('Yunxiao run: run, stage, stageInfo, job and action keys (with nulls)', async () => {
    const run = cloud.yunxiao.addRun();
    const served = cloud.yunxiao.run(run.runId).detail as unknown as Obj;
    const fixture = load('yunxiao/run-rdc-waiting.json') as Obj;
    expect(keys(served)).toEqual(keys(fixture));
    expect(keys(served.stages[1])).toEqual(keys(fixture.stages[1]));
    const info = (o: Obj) => o.stages[1]?.stageInfo as { jobs: Array<{ actions: unknown[] }> };
    expect(keys(info(served))).toEqual(keys(info(fixture)));
    expect(keys(info(served).jobs[0])).toEqual(keys(info(fixture).jobs[0]));
    expect(keys(info(served).jobs[0]?.actions[0])).toEqual(keys(info(fixture).jobs[0]?.actions[0]));
  });
});
