import { hexId } from './fake-http.js';
import type {
  YunxiaoAction,
  YunxiaoJob,
  YunxiaoRun,
  YunxiaoRunSeed,
  YunxiaoRunSpec,
  YunxiaoStage,
} from './fake-yunxiao-types.js';

export type { YunxiaoRun, YunxiaoRunSeed, YunxiaoRunSpec } from './fake-yunxiao-types.js';

/**
 * Pipeline run state of the fake Yunxiao Flow, in the wire shape shared by the devops (2021-06-25) and openapi-rdc
 * APIs: aliyun/alibabacloud-devops-mcp-server `operations/flow/types.ts` (`PipelineRunSchema`, `PipelineStageSchema`,
 * `PipelineRunJobSchema`, `PipelineRunActionSchema`, every field nullable), served with `null` wherever the real
 * service may leave a field empty (test/fixtures/yunxiao/run-rdc-waiting.json has the same keys). A Build stage, an Approval stage with one manual-checkpoint job per validation,
 * a Deploy stage. A waiting job carries PassPipelineValidate/RefusePipelineValidate actions; pass → SUCCESS
 * (actions removed), refuse → FAIL and the run FAILs (other waiting jobs are CANCELED).
 */
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
    const at = now();
    const manual: YunxiaoJob[] = jobs.map((j) => ({
      ...jobOf(Number(j.jobId), j.name, 'RUNNING', at),
      actions: [
        actionOf('PassPipelineValidate', 1, { validators: [...validators] }),
        actionOf('RefusePipelineValidate', 2, { validators: [...validators] }),
      ],
    }));
    const creator = hexId(24);
    const run: YunxiaoRun = {
      updateTime: at,
      pipelineConfigId: null,
      createTime: at,
      pipelineId: Number(pipelineId),
      pipelineRunId: Number(runId),
      status: 'RUNNING',
      triggerMode: 1,
      stageGroup: [['0'], ['1'], ['2']],
      groups: null,
      pipelineType: null,
      creatorAccountId: creator,
      modifierAccountId: null,
      stages: [
        stage('0', 'Build', [jobOf(++nextJob, 'Build', 'SUCCESS', at)]),
        stage('1', 'Approval', manual),
        stage('2', 'Deploy', [jobOf(++nextJob, 'Deploy', 'INIT', null)]),
      ],
      sources: [
        {
          data: { repo: 'https://codeup.aliyun.com/demo/app.git', branch: 'master' },
          name: 'app',
          sign: 'source_1',
          type: 'codeup',
          label: null,
        },
      ],
      creator,
      modifier: null,
      globalParams: null,
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
  return { index, name, stageInfo: { startTime: null, endTime: null, name, status: null, id: null, jobs } };
}

function jobOf(id: number, name: string, status: string, at: number | null): YunxiaoJob {
  return { id, name, startTime: at, endTime: null, status, params: null, jobSign: null, result: null, actions: [] };
}

function actionOf(type: string, order: number, params: { validators: string[] } | null): YunxiaoAction {
  return { data: null, disable: false, displayType: null, name: type, order, params, title: null, type };
}
