import type { GateKind } from '../../core/ports.js';
import { hexId } from './fake-http.js';
import { buildRun } from './fake-huawei-build-run.js';
import type { HuaweiRunDetail, HuaweiRunSeed, HuaweiRunSpec, HuaweiStep } from './fake-huawei-types.js';

export type { HuaweiRunDetail, HuaweiRunSeed, HuaweiRunSpec } from './fake-huawei-types.js';
export { MANUAL_REVIEW_TASK } from './fake-huawei-shapes.js';

/**
 * Pipeline run state of the fake CodeArts Pipeline (shapes: fake-huawei-shapes.ts). A run has a Build stage, an
 * Approval stage with one job per manual review, delayed execution and unknown plugin, and a Deploy stage whose `pre`
 * holds the stage-entry check points. Gate steps wait as RUNNING. Decisions, as the action resource describes them
 * (terraform `docs/resources/codearts_pipeline_action.md`): pass / delay-pass / manual-pass → COMPLETED (the step
 * proceeds); refuse / delay-refuse / manual-refuse → FAILED (the run fails, other waiting gates are CANCELED);
 * delay (postpone one hour) → the step keeps waiting.
 */
export type DecisionResult = 'ok' | 'not-found' | 'not-waiting';
export type FakeAction = 'pass' | 'refuse' | 'delay-pass' | 'delay-refuse' | 'delay' | 'manual-pass' | 'manual-refuse';

const KIND_OF_ACTION: Record<FakeAction, GateKind> = {
  pass: 'review',
  refuse: 'review',
  'delay-pass': 'delay',
  'delay-refuse': 'delay',
  delay: 'delay',
  'manual-pass': 'stage-check',
  'manual-refuse': 'stage-check',
};

interface Entry {
  run: HuaweiRunDetail;
  gates: Map<string, GateKind>;
  waitingStatus: string;
  postponed: Map<string, number>;
}

export interface HuaweiRunsOptions {
  /**
   * Benchmarks only: a decision on a review that was already decided answers 200 again (the state stays as the first
   * decision left it) instead of the 400 DEVPIPE.00011104, so one seeded review serves any number of calls.
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
    const runId = spec.runId ?? hexId();
    if (runs.has(runId)) throw new Error(`fake huawei: run ${runId} exists`);
    const built = buildRun({ ...spec, runId }, now(), ++runNumber);
    const created: Entry = { run: built.run, gates: built.gates, waitingStatus: built.waiting, postponed: new Map() };
    runs.set(runId, created);
    settle(created, spec.status);
    return built.seed;
  }

  function allSteps(e: Entry): HuaweiStep[] {
    return e.run.stages.flatMap((s) => [...s.pre, ...s.jobs.flatMap((j) => j.steps), ...s.post]);
  }
  function gateSteps(e: Entry): HuaweiStep[] {
    return allSteps(e).filter((s) => e.gates.has(s.id));
  }

  /** Recomputes job, stage and run statuses from the gate steps. */
  function settle(e: Entry, forced?: string): void {
    for (const stage of e.run.stages) for (const job of stage.jobs) job.status = job.steps[0]?.status ?? job.status;
    const gates = gateSteps(e);
    const failed = gates.some((s) => s.status === 'FAILED');
    const open = allSteps(e).some((s) => s.status === e.waitingStatus || s.status === 'RUNNING');
    const status = forced ?? (failed ? 'FAILED' : open ? 'RUNNING' : 'COMPLETED');
    const [, approval, deploy] = e.run.stages;
    if (approval)
      approval.status = approval.jobs.some((j) => j.status === 'FAILED')
        ? 'FAILED'
        : approval.jobs.every((j) => j.status === 'COMPLETED')
          ? 'COMPLETED'
          : 'RUNNING';
    if (deploy && (status === 'COMPLETED' || status === 'CANCELED')) {
      deploy.status = status;
      for (const s of [...deploy.pre, ...deploy.jobs.flatMap((j) => j.steps)])
        if (!['COMPLETED', 'FAILED'].includes(s.status)) s.status = status;
      for (const j of deploy.jobs) j.status = status;
    }
    e.run.status = status;
    if (['COMPLETED', 'FAILED', 'CANCELED'].includes(status) && e.run.end_time === null) e.run.end_time = now();
  }

  function decide(
    ids: { projectId: string; pipelineId: string; runId: string; jobRunId?: string; stepRunId: string },
    action: FakeAction,
  ): DecisionResult {
    const e = runs.get(ids.runId);
    if (!e || e.run.project_id !== ids.projectId || e.run.pipeline_id !== ids.pipelineId) return 'not-found';
    const kind = KIND_OF_ACTION[action];
    const stages = e.run.stages;
    const step =
      kind === 'stage-check'
        ? stages.flatMap((s) => [...s.pre, ...s.post]).find((s) => s.id === ids.stepRunId)
        : stages
            .flatMap((s) => s.jobs)
            .find((j) => j.id === ids.jobRunId)
            ?.steps.find((s) => s.id === ids.stepRunId);
    if (!step) return 'not-found';
    if (e.gates.get(step.id) !== kind) return 'not-waiting';
    if (step.status !== e.waitingStatus) return options.repeatableDecisions ? 'ok' : 'not-waiting';
    if (action === 'delay') {
      e.postponed.set(step.id, (e.postponed.get(step.id) ?? 0) + 1);
      return 'ok';
    }
    const passed = action === 'pass' || action === 'delay-pass' || action === 'manual-pass';
    step.status = passed ? 'COMPLETED' : 'FAILED';
    step.end_time = now();
    if (!passed) for (const other of gateSteps(e)) if (other.status === e.waitingStatus) other.status = 'CANCELED';
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
    return found === undefined ? undefined : { ...structuredClone(found), current_system_time: now() };
  }

  return {
    addRun,
    decide,
    detail,
    /** Current status of one gate step (any kind), and how often a delay gate was postponed. */
    review(runId: string, stepRunId: string): { status: string; postponed: number } {
      const e = entry(runId);
      const step = gateSteps(e).find((s) => s.id === stepRunId);
      if (!step) throw new Error(`fake huawei: no gate step ${stepRunId}`);
      return { status: step.status, postponed: e.postponed.get(stepRunId) ?? 0 };
    },
    run(runId: string): { status: string; detail: HuaweiRunDetail } {
      const { run } = entry(runId);
      return { status: run.status, detail: structuredClone(run) };
    },
    /** Ends a run from outside (someone cancelled it in the console): waiting gates become CANCELED. */
    finishRun(runId: string, status: 'COMPLETED' | 'FAILED' | 'CANCELED'): void {
      const e = entry(runId);
      for (const s of gateSteps(e)) if (s.status === e.waitingStatus) s.status = 'CANCELED';
      settle(e, status);
    },
  };
}

export type HuaweiRuns = ReturnType<typeof createHuaweiRuns>;
