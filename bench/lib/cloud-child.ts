import { startFakeCloud } from '../../src/fakes/cloud/fake-cloud.js';
import { seedDemo } from '../../src/fakes/cloud/seed.js';
import type { ChildOptions, FromChild, ToChild } from './cloud-process.js';

/**
 * Child-process entry: runs the fake cloud (so its CPU time is not charged to the client being measured) and answers
 * the parent over IPC. Started by `startCloudProcess`; never run by hand.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
  const cloud = await startFakeCloud({ huaweiRepeatableDecisions: options.huaweiRepeatableDecisions === true });
  cloud.setLatency(options.latencyMs ?? 0);
  const demo = seedDemo(cloud);
  const send = (msg: FromChild) => process.send?.(msg);
  process.on('message', (msg: ToChild) => {
    if (msg.type === 'stats') {
      const statuses: Record<string, number> = {};
      const actions: Record<string, number> = {};
      for (const c of cloud.calls) {
        statuses[c.status] = (statuses[c.status] ?? 0) + 1;
        const action = c.action ?? 'other';
        actions[action] = (actions[action] ?? 0) + 1;
      }
      send({ type: 'stats', iamTokenRequests: cloud.iamTokenRequests, calls: cloud.calls.length, statuses, actions });
      // The parent only needs counts; dropping the records keeps a long benchmark's memory flat.
      cloud.calls.length = 0;
    } else if (msg.type === 'addRuns') {
      // One project for all of them, like one team's pipelines; each run has one waiting review.
      const runs = Array.from({ length: msg.count }, () =>
        cloud.huawei.addRun({ projectId: demo.huaweiSingle.projectId, name: 'bench-release', reviews: 1 }),
      );
      send({ type: 'runs', id: msg.id, runs });
    } else if (msg.type === 'close') {
      void cloud.close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void cloud.close().then(() => process.exit(0)));
  const { credentials, iamProjectId } = cloud.huawei;
  const { accessKeyId, accessKeySecret } = cloud.yunxiao.credentials;
  send({
    type: 'ready',
    url: cloud.url,
    huawei: { credentials, iamProjectId },
    yunxiao: { accessKeyId, accessKeySecret, organizationId: cloud.yunxiao.organizationId },
    demo,
  });
}

main().catch((err: unknown) => {
  console.error('fake cloud child failed', err);
  process.exit(1);
});
