import { hexId } from './fake-http.js';
import type {
  HuaweiJob,
  HuaweiRunDetail,
  HuaweiRunSeed,
  HuaweiRunSpec,
  HuaweiStage,
  HuaweiStep,
} from './fake-huawei-types.js';

export type { HuaweiRunDetail, HuaweiRunSeed, HuaweiRunSpec } from './fake-huawei-types.js';

/**
 * Pipeline run state of the fake CodeArts Pipeline, in the wire shape of GET …/pipeline-runs/detail
 * (docs/reference/real-shapes.md "Huawei Pipeline"): a Build stage, an Approval stage with one job per manual review,
 * a Deploy stage. Reviews move waiting → COMPLETED (pass) / FAILED (refuse; the other waiting reviews are CANCELED).
 */
export const MANUAL_REVIEW_TASK = 'official_devcloud_manualReview';

export type DecisionResult = 'ok' | 'not-found' | 'not-waiting';

interface Entry {
  run: HuaweiRunDetail;
  reviewTask: string;
  waitingStatus: string;
}

export interface HuaweiRunsOptions {
  /**
   * Benchmarks only: a decision on a review that was already decided answers 200 again (the state stays as the first
   * decision left it) instead of the documented 400 DEVPIPE.00011104, so one seeded review serves any number of calls.
   */
  repeatableDecisions?: boolean;
}

export function createHuaweiRuns(now: () => number, options: HuaweiRunsOptions = {}) {
  const runs = new Map<string, Entry>();
  let runNumber = 0;

  function entry(runId: string): Entry {
    const found = runs.get(runId);
    if (!found) throw new Error(`fake huawei: no run ${runId}`);
    return found;
  }

  function addRun(spec: HuaweiRunSpec = {}): HuaweiRunSeed {
    const projectId = spec.projectId ?? hexId();
    const pipelineId = spec.pipelineId ?? hexId();
    const runId = spec.runId ?? hexId();
    if (runs.has(runId)) throw new Error(`fake huawei: run ${runId} exists`);
    const names = reviewNames(spec.reviews);
    const reviewTask = spec.reviewTask ?? MANUAL_REVIEW_TASK;
    const waitingStatus = spec.waitingStatus ?? 'PAUSED';
    const reviews = names.map((name) => ({ name, jobRunId: hexId(), stepRunId: hexId() }));
    const first = spec.status === 'FAILED' ? 'FAILED' : spec.status === 'COMPLETED' ? 'COMPLETED' : 'CANCELED';
    const rest = spec.status === 'COMPLETED' ? 'COMPLETED' : 'CANCELED';
    const reviewStatus = (i: number) => (spec.status === undefined ? waitingStatus : i === 0 ? first : rest);
    const single = (name: string, task: string, type: string, status: string): HuaweiJob => ({
      id: hexId(),
      name,
      status,
      steps: [{ id: hexId(), name, task, business_type: type, status }],
    });
    const run: HuaweiRunDetail = {
      id: runId,
      pipeline_id: pipelineId,
      project_id: projectId,
      name: spec.name ?? 'release-pipeline',
      status: spec.status ?? (names.length > 0 ? 'PAUSED' : 'RUNNING'),
      run_number: ++runNumber,
      start_time: now(),
      end_time: spec.status === undefined ? 0 : now(),
      stages: [
        stage(0, 'Build', 'COMPLETED', [single('Build', 'official_devcloud_cloudBuild', 'Build', 'COMPLETED')]),
        stage(
          1,
          'Approval',
          'INIT',
          reviews.map((r, i) => ({
            id: r.jobRunId,
            name: r.name,
            status: reviewStatus(i),
            steps: [
              { id: r.stepRunId, name: r.name, task: reviewTask, business_type: 'Normal', status: reviewStatus(i) },
            ],
          })),
        ),
        stage(2, 'Deploy', 'INIT', [single('Deploy', 'official_devcloud_deploy', 'Deploy', 'INIT')]),
      ],
    };
    const created = { run, reviewTask, waitingStatus };
    runs.set(runId, created);
    settle(created, spec.status);
    const region = spec.region ?? 'cn-north-4';
    const url = `https://devcloud.${region}.huaweicloud.com/cicd/project/${projectId}/pipeline/detail/${pipelineId}/${runId}?v=1`;
    return { projectId, pipelineId, runId, url, reviews };
  }

  /** Recomputes job, stage and run statuses from the review steps (run rule: cloud-shapes.md). */
  function settle(e: Entry, forced?: string): void {
    const [, approval, deploy] = e.run.stages as [HuaweiStage, HuaweiStage, HuaweiStage];
    const steps = approval.jobs.map((j) => j.steps[0] as HuaweiStep);
    approval.jobs.forEach((job, i) => {
      job.status = (steps[i] as HuaweiStep).status;
    });
    const refused = steps.some((s) => s.status === 'FAILED');
    const allPassed = steps.length > 0 && steps.every((s) => s.status === 'COMPLETED');
    const anyPassed = steps.some((s) => s.status === 'COMPLETED');
    const status = forced ?? (refused ? 'FAILED' : allPassed ? 'COMPLETED' : anyPassed ? 'RUNNING' : e.run.status);
    approval.status = steps.length === 0 ? 'COMPLETED' : refused ? 'FAILED' : allPassed ? 'COMPLETED' : status;
    if (status === 'COMPLETED') setStage(deploy, 'COMPLETED');
    if (status === 'CANCELED') setStage(deploy, 'CANCELED');
    e.run.status = status;
    if (['COMPLETED', 'FAILED', 'CANCELED'].includes(status) && e.run.end_time === 0) e.run.end_time = now();
  }

  function decide(
    ids: { projectId: string; pipelineId: string; runId: string; jobRunId: string; stepRunId: string },
    decision: 'pass' | 'refuse',
  ): DecisionResult {
    const e = runs.get(ids.runId);
    if (!e || e.run.project_id !== ids.projectId || e.run.pipeline_id !== ids.pipelineId) return 'not-found';
    const job = e.run.stages.flatMap((s) => s.jobs).find((j) => j.id === ids.jobRunId);
    const step = job?.steps.find((s) => s.id === ids.stepRunId);
    if (!step) return 'not-found';
    if (step.task !== e.reviewTask) return 'not-waiting';
    if (step.status !== e.waitingStatus) return options.repeatableDecisions ? 'ok' : 'not-waiting';
    step.status = decision === 'pass' ? 'COMPLETED' : 'FAILED';
    if (decision === 'refuse') {
      for (const other of reviewSteps(e)) if (other.status === e.waitingStatus) other.status = 'CANCELED';
    }
    settle(e);
    return 'ok';
  }

  /** The run detail (a copy); without runId the latest run of the pipeline, as the real API does. */
  function detail(projectId: string, pipelineId: string, runId?: string): HuaweiRunDetail | undefined {
    let found: HuaweiRunDetail | undefined;
    for (const { run } of runs.values()) {
      if (run.project_id !== projectId || run.pipeline_id !== pipelineId) continue;
      if (runId === undefined ? !found || run.run_number > found.run_number : run.id === runId) found = run;
    }
    return found === undefined ? undefined : structuredClone(found);
  }

  function reviewSteps(e: Entry): HuaweiStep[] {
    return e.run.stages.flatMap((s) => s.jobs.flatMap((j) => j.steps)).filter((s) => s.task === e.reviewTask);
  }

  return {
    addRun,
    decide,
    detail,
    /** Current status of one review step. */
    review(runId: string, stepRunId: string): { status: string } {
      const step = reviewSteps(entry(runId)).find((s) => s.id === stepRunId);
      if (!step) throw new Error(`fake huawei: no review step ${stepRunId}`);
      return { status: step.status };
    },
    run(runId: string): { status: string; detail: HuaweiRunDetail } {
      const { run } = entry(runId);
      return { status: run.status, detail: structuredClone(run) };
    },
    /** Ends a run from outside (someone cancelled it in the console): waiting reviews become CANCELED. */
    finishRun(runId: string, status: 'COMPLETED' | 'FAILED' | 'CANCELED'): void {
      const e = entry(runId);
      for (const s of reviewSteps(e)) if (s.status === e.waitingStatus) s.status = 'CANCELED';
      settle(e, status);
    },
  };
}

export type HuaweiRuns = ReturnType<typeof createHuaweiRuns>;

function stage(sequence: number, name: string, status: string, jobs: HuaweiJob[]): HuaweiStage {
  return { id: hexId(), name, sequence, status, jobs };
}

function setStage(s: HuaweiStage, status: string): void {
  s.status = status;
  for (const job of s.jobs) {
    job.status = status;
    for (const step of job.steps) step.status = status;
  }
}

function reviewNames(reviews: HuaweiRunSpec['reviews']): string[] {
  if (Array.isArray(reviews)) return reviews;
  const n = reviews ?? 1;
  return Array.from({ length: n }, (_, i) => (i === 0 ? 'Release approval' : `Release approval ${i + 1}`));
}
