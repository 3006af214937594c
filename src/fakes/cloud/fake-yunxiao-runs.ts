import { hexId } from './fake-http.js';

/**
 * Pipeline run state of the fake Yunxiao Flow, in the wire shape shared by the devops (2021-06-25) and openapi-rdc
 * APIs (docs/reference/real-shapes.md): a Build stage, an Approval stage with one manual-checkpoint job per validation,
 * a Deploy stage. A waiting job carries PassPipelineValidate/RefusePipelineValidate actions; pass → SUCCESS
 * (actions removed), refuse → FAIL and the run FAILs (other waiting jobs are CANCELED).
 */
export interface YunxiaoRunSpec {
  organizationId?: string;
  pipelineId?: string;
  runId?: string;
  /** Number of waiting manual-checkpoint jobs (default 1) or their names. */
  jobs?: number | string[];
  /** params.validators of the pass action (default ["alice"]). */
  validators?: string[];
  /** Seed a finished run instead of a waiting one. */
  status?: 'SUCCESS' | 'FAIL' | 'CANCELED';
}

export interface YunxiaoRunSeed {
  organizationId: string;
  pipelineId: string;
  runId: string;
  /** https://flow.aliyun.com/pipelines/{pipeline}/builds/{run}?organizationId={org} */
  url: string;
  jobs: Array<{ jobId: string; name: string }>;
}

interface YunxiaoAction {
  type: string;
  disable: boolean;
  params?: { validators: string[] };
}
interface YunxiaoJob {
  id: number;
  name: string;
  status: string;
  actions: YunxiaoAction[];
}
interface YunxiaoStage {
  index: string;
  name: string;
  stageInfo: { name: string; jobs: YunxiaoJob[] };
}
export interface YunxiaoRun {
  pipelineId: number;
  pipelineRunId: number;
  status: string;
  createTime: number;
  updateTime: number;
  stages: YunxiaoStage[];
}

export type YunxiaoLookup =
  | { found: YunxiaoRun }
  | { missing: 'InvalidOrganization.NotFound' | 'InvalidPipeline.NotFound' | 'InvalidPipelineRun.NotFound' };
export type YunxiaoDecision = 'ok' | 'not-waiting' | 'no-job' | Extract<YunxiaoLookup, { missing: string }>;

const FINAL = new Set(['SUCCESS', 'FAIL', 'CANCELED']);

export function createYunxiaoRuns(now: () => number) {
  const defaultOrganizationId = hexId(24);
  const orgs = new Set([defaultOrganizationId]);
  const runs = new Map<string, { organizationId: string; run: YunxiaoRun }>();
  let nextPipeline = 1000;
  let nextRun = 1;
  let nextJob = 70_000;

  function addRun(spec: YunxiaoRunSpec = {}): YunxiaoRunSeed {
    const organizationId = spec.organizationId ?? defaultOrganizationId;
    const pipelineId = spec.pipelineId ?? String(++nextPipeline);
    const runId = spec.runId ?? String(nextRun++);
    if (runs.has(runId)) throw new Error(`fake yunxiao: run ${runId} exists`);
    const names = Array.isArray(spec.jobs)
      ? spec.jobs
      : Array.from({ length: spec.jobs ?? 1 }, (_, i) => (i === 0 ? 'Manual check' : `Manual check ${i + 1}`));
    const jobs = names.map((name) => ({ jobId: String(++nextJob), name }));
    const validators = spec.validators ?? ['alice'];
    const manual: YunxiaoJob[] = jobs.map((j) => ({
      id: Number(j.jobId),
      name: j.name,
      status: 'RUNNING',
      actions: [
        { type: 'PassPipelineValidate', disable: false, params: { validators: [...validators] } },
        { type: 'RefusePipelineValidate', disable: false },
      ],
    }));
    const run: YunxiaoRun = {
      pipelineId: Number(pipelineId),
      pipelineRunId: Number(runId),
      status: 'RUNNING',
      createTime: now(),
      updateTime: now(),
      stages: [
        stage('0', 'Build', [{ id: ++nextJob, name: 'Build', status: 'SUCCESS', actions: [] }]),
        stage('1', 'Approval', manual),
        stage('2', 'Deploy', [{ id: ++nextJob, name: 'Deploy', status: 'INIT', actions: [] }]),
      ],
    };
    orgs.add(organizationId);
    runs.set(runId, { organizationId, run });
    if (spec.status !== undefined) finish(run, spec.status);
    const url = `https://flow.aliyun.com/pipelines/${pipelineId}/builds/${runId}?organizationId=${organizationId}`;
    return { organizationId, pipelineId, runId, url, jobs };
  }

  /** organizationId undefined: the self-hosted (region) edition, whose paths carry no organization. */
  function lookup(organizationId: string | undefined, pipelineId: string, runId: string): YunxiaoLookup {
    if (organizationId !== undefined && !orgs.has(organizationId)) return { missing: 'InvalidOrganization.NotFound' };
    const inOrg = [...runs.values()].filter((r) => organizationId === undefined || r.organizationId === organizationId);
    const inPipeline = inOrg.filter((r) => String(r.run.pipelineId) === pipelineId);
    if (inPipeline.length === 0) return { missing: 'InvalidPipeline.NotFound' };
    const hit = inPipeline.find((r) => String(r.run.pipelineRunId) === runId);
    return hit ? { found: hit.run } : { missing: 'InvalidPipelineRun.NotFound' };
  }

  function decide(
    ids: { organizationId?: string; pipelineId: string; runId: string; jobId: string },
    decision: 'pass' | 'refuse',
  ): YunxiaoDecision {
    const looked = lookup(ids.organizationId, ids.pipelineId, ids.runId);
    if ('missing' in looked) return looked;
    const run = looked.found;
    const job = allJobs(run).find((j) => String(j.id) === ids.jobId);
    if (!job) return 'no-job';
    if (!isWaiting(job) || FINAL.has(run.status)) return 'not-waiting';
    job.status = decision === 'pass' ? 'SUCCESS' : 'FAIL';
    job.actions = [];
    run.updateTime = now();
    if (decision === 'refuse') finish(run, 'FAIL');
    else if (!allJobs(run).some(isWaiting)) finish(run, 'SUCCESS');
    return 'ok';
  }

  function entry(runId: string) {
    const found = runs.get(runId);
    if (!found) throw new Error(`fake yunxiao: no run ${runId}`);
    return found;
  }

  return {
    defaultOrganizationId,
    addRun,
    lookup: (organizationId: string | undefined, pipelineId: string, runId: string): YunxiaoLookup => {
      const looked = lookup(organizationId, pipelineId, runId);
      return 'found' in looked ? { found: structuredClone(looked.found) } : looked;
    },
    decide,
    job(runId: string, jobId: string): { status: string; waiting: boolean } {
      const job = allJobs(entry(runId).run).find((j) => String(j.id) === jobId);
      if (!job) throw new Error(`fake yunxiao: no job ${jobId}`);
      return { status: job.status, waiting: isWaiting(job) };
    },
    run(runId: string): { status: string; detail: YunxiaoRun } {
      const { run } = entry(runId);
      return { status: run.status, detail: structuredClone(run) };
    },
    /** Ends a run from outside (cancelled in the console): waiting jobs lose their actions. */
    finishRun(runId: string, status: 'SUCCESS' | 'FAIL' | 'CANCELED'): void {
      finish(entry(runId).run, status);
    },
  };
}

export type YunxiaoRuns = ReturnType<typeof createYunxiaoRuns>;

function finish(run: YunxiaoRun, status: string): void {
  for (const job of allJobs(run)) {
    if (isWaiting(job)) {
      job.status = status === 'SUCCESS' ? 'SUCCESS' : 'CANCELED';
      job.actions = [];
    } else if (job.status === 'INIT') {
      job.status = status === 'SUCCESS' ? 'SUCCESS' : 'CANCELED';
    }
  }
  run.status = status;
}

function isWaiting(job: YunxiaoJob): boolean {
  return !FINAL.has(job.status) && job.actions.some((a) => a.type === 'PassPipelineValidate' && a.disable !== true);
}

function allJobs(run: YunxiaoRun): YunxiaoJob[] {
  return run.stages.flatMap((s) => s.stageInfo.jobs);
}

function stage(index: string, name: string, jobs: YunxiaoJob[]): YunxiaoStage {
  return { index, name, stageInfo: { name, jobs } };
}
