import type { FakeCloud } from './fake-cloud.js';
import { hexId } from './fake-http.js';
import type { HuaweiRunSeed } from './fake-huawei-types.js';
import type { YunxiaoRunSeed } from './fake-yunxiao-runs.js';

export interface DemoSeed {
  /** Huawei run with one waiting review. */
  huaweiSingle: HuaweiRunSeed;
  /** Huawei run (same project) with two waiting reviews. */
  huaweiDouble: HuaweiRunSeed;
  /**
   * Huawei run waiting at all three gate kinds (manual review, delayed execution, stage-entry check point) and one
   * step of a plugin no matcher knows (for `opsgate doctor`).
   */
  huaweiGates: HuaweiRunSeed;
  /** Yunxiao run with one waiting manual-checkpoint job. */
  yunxiao: YunxiaoRunSeed;
  /** CodeArts Build job with MESSAGE and MAIL notices on. */
  buildJobId: string;
  /** CodeArts Check project-level notification config (same project as the Huawei runs). */
  check: { projectId: string; domainId: string };
}

/**
 * Seeds the demo data the sandbox and benchmarks start from; returns the IDs and the run URLs to paste.
 *
 * @example
 * const cloud = await startFakeCloud();
 * const demo = seedDemo(cloud);
 * console.log(`/ops reject ${demo.huaweiSingle.url} not today`);
 */
export function seedDemo(cloud: Pick<FakeCloud, 'huawei' | 'yunxiao'>): DemoSeed {
  const projectId = hexId();
  const huaweiSingle = cloud.huawei.addRun({ projectId, name: 'web-release', reviews: ['Release approval'] });
  const huaweiDouble = cloud.huawei.addRun({
    projectId,
    name: 'payments-release',
    reviews: ['Release approval', 'Security approval'],
  });
  const huaweiGates = cloud.huawei.addRun({
    projectId,
    name: 'orders-release',
    reviews: ['Release approval'],
    delays: ['Wait for the window'],
    stageChecks: ['Deploy'],
    unknownPlugins: ['thirdparty_acme_approval'],
  });
  const yunxiao = cloud.yunxiao.addRun({ jobs: ['Manual check'] });
  const buildJobId = cloud.huawei.addBuildJob();
  const check = cloud.huawei.setCheckConfig({ projectId });
  return {
    huaweiSingle,
    huaweiDouble,
    huaweiGates,
    yunxiao,
    buildJobId,
    check: { projectId, domainId: check.domainId },
  };
}
