import type { GateKind } from '../../core/ports.js';
import { hexId } from './fake-http.js';
import {
  AUTO_ENTRY_TASK,
  DELAY_TASK,
  jobOf,
  MANUAL_ENTRY_TASK,
  MANUAL_REVIEW_TASK,
  reviewInputs,
  runOf,
  stageOf,
  stepOf,
} from './fake-huawei-shapes.js';
import type {
  HuaweiReviewSeed,
  HuaweiRunDetail,
  HuaweiRunSeed,
  HuaweiRunSpec,
  HuaweiStep,
} from './fake-huawei-types.js';

/**
 * One seeded run: a Build stage, an Approval stage with one job per manual review, delayed execution and unknown
 * plugin, and a Deploy stage whose `pre` holds the stage-entry check points (shapes: fake-huawei-shapes.ts).
 */
export function buildRun(
  spec: HuaweiRunSpec & { runId: string },
  at: number,
  runNumber: number,
): { run: HuaweiRunDetail; gates: Map<string, GateKind>; waiting: string; seed: HuaweiRunSeed } {
  const projectId = spec.projectId ?? hexId();
  const pipelineId = spec.pipelineId ?? hexId();
  const runId = spec.runId;
  const waiting = spec.waitingStatus ?? 'RUNNING';
  const finished = spec.status;
  const gateStatus = (i: number) =>
    finished === undefined ? waiting : finished === 'COMPLETED' ? 'COMPLETED' : i === 0 ? finished : 'CANCELED';
  const gates = new Map<string, GateKind>();
  const seeds = {
    review: [] as HuaweiReviewSeed[],
    delay: [] as HuaweiReviewSeed[],
    stage: [] as HuaweiReviewSeed[],
  };
  const approvalJobs = [
    ...names(spec.reviews, 1, 'Release approval').map((name, i) => {
      const step = stepOf(
        name,
        spec.reviewTask ?? MANUAL_REVIEW_TASK,
        'Normal',
        gateStatus(i),
        at,
        reviewInputs(spec.approvers ?? [hexId()]),
      );
      return track(jobOf(name, [step], i), step, 'review', name, seeds.review);
    }),
    ...names(spec.delays, 0, 'Delayed execution').map((name, i) => {
      const step = stepOf(name, DELAY_TASK, 'Normal', gateStatus(i), at);
      return track(jobOf(name, [step], 100 + i), step, 'delay', name, seeds.delay);
    }),
    ...(spec.unknownPlugins ?? []).map((task, i) =>
      jobOf(task, [stepOf(task, task, 'Normal', finished ?? 'RUNNING', at)], 200 + i),
    ),
  ];
  const checks = names(spec.stageChecks, 0, 'Deploy').map((name, i) => {
    const step = stepOf(null, spec.stageCheckTask ?? MANUAL_ENTRY_TASK, null, gateStatus(i), at);
    gates.set(step.id, 'stage-check');
    seeds.stage.push({ name, kind: 'stage-check', jobRunId: '', stepRunId: step.id });
    return step;
  });
  function track(
    job: ReturnType<typeof jobOf>,
    step: HuaweiStep,
    kind: GateKind,
    name: string,
    into: HuaweiReviewSeed[],
  ) {
    gates.set(step.id, kind);
    into.push({ name, kind, jobRunId: job.id, stepRunId: step.id });
    return job;
  }
  const build = stepOf('Build', 'official_devcloud_cloudBuild', 'Build', 'COMPLETED', at);
  const deploy = stepOf('Deploy', 'official_devcloud_deploy', 'Deploy', 'INIT', at);
  const region = spec.region ?? 'cn-north-4';
  const url = `https://devcloud.${region}.huaweicloud.com/cicd/project/${projectId}/pipeline/detail/${pipelineId}/${runId}?v=1`;
  const run = runOf({
    id: runId,
    pipelineId,
    projectId,
    region,
    name: spec.name ?? 'release-pipeline',
    status: finished ?? 'RUNNING',
    runNumber,
    at,
    url,
    stages: [
      stageOf(
        0,
        'Build',
        'COMPLETED',
        [stepOf(null, AUTO_ENTRY_TASK, null, 'COMPLETED', at)],
        [jobOf('Build', [build])],
      ),
      stageOf(1, 'Approval', 'RUNNING', [stepOf(null, AUTO_ENTRY_TASK, null, 'COMPLETED', at)], approvalJobs),
      stageOf(
        2,
        'Deploy',
        checks.length > 0 ? 'RUNNING' : 'INIT',
        checks.length > 0 ? checks : [stepOf(null, AUTO_ENTRY_TASK, null, 'INIT', at)],
        [jobOf('Deploy', [deploy])],
      ),
    ],
  });
  return {
    run,
    gates,
    waiting,
    seed: { projectId, pipelineId, runId, url, reviews: seeds.review, delays: seeds.delay, stageChecks: seeds.stage },
  };
}

function names(spec: number | string[] | undefined, fallback: number, base: string): string[] {
  if (Array.isArray(spec)) return spec;
  const n = spec ?? fallback;
  return Array.from({ length: n }, (_, i) => (i === 0 ? base : `${base} ${i + 1}`));
}
