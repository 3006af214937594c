import { afterEach, describe, expect, it } from 'vitest';
import {
  createFetchClient,
  createOurClient,
  createSdkClient,
  type RefuseClient,
} from '../../../bench/lib/huawei-clients.js';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';

let cloud: FakeCloud | undefined;
const clients: RefuseClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await cloud?.close();
  cloud = undefined;
});

describe('bench clients (provider-throughput)', () => {
  it('ours, fetch and huaweicloud-sdk-core each send a valid AK/SK-signed refuse, repeatedly', async () => {
    cloud = await startFakeCloud({ huaweiRepeatableDecisions: true });
    const run = cloud.huawei.addRun();
    const { ak, sk } = cloud.huawei.credentials;
    const target = { url: cloud.url, ak, sk, iamProjectId: cloud.huawei.iamProjectId, run };
    clients.push(createOurClient(target), createFetchClient(target), createSdkClient(target));
    for (const client of clients) {
      await client.refuse();
      await client.refuse();
    }
    expect(cloud.calls.map((c) => [c.action, c.auth, c.status])).toEqual(
      Array.from({ length: 6 }, () => ['refuse', 'aksk', 200]),
    );
    expect(cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('FAILED');
  });

  it('a client rejects when the fake refuses the call', async () => {
    cloud = await startFakeCloud();
    const run = cloud.huawei.addRun();
    const target = { url: cloud.url, ak: 'WRONGAK', sk: 'wrong', iamProjectId: cloud.huawei.iamProjectId, run };
    clients.push(createOurClient(target), createFetchClient(target), createSdkClient(target));
    for (const client of clients) await expect(client.refuse()).rejects.toBeDefined();
    expect(cloud.calls.map((c) => c.status)).toEqual([401, 401, 401]);
  });
});
