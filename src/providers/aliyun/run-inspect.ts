import type { InspectedJob, InspectedStage, InspectedStep, RunInspection } from '../../core/ports.js';
import type { YunxiaoRunRef } from '../../core/targets.js';
import { reviewStatus, VALIDATE_ACTION } from './run-parser.js';

/** Words that make a job look like a checkpoint to `doctor` when it carries no PassPipelineValidate action. */
const GATE_WORDS = /checkpoint|manual|review|delay|approv|validat|审核|审批|延时|人工|卡点/i;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const list = (v: unknown): Obj[] =>
  Array.isArray(v) ? v.slice(0, 500).flatMap((x) => (obj(x) ? [x as Obj] : [])) : [];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.slice(0, 128) : undefined);
const idOf = (v: unknown): string | undefined =>
  typeof v === 'number' || typeof v === 'string' ? String(v).slice(0, 64) : undefined;

/**
 * The whole run for `opsgate doctor`: stages, jobs, and each job's actions as its "steps" (Yunxiao has no steps in
 * GetPipelineRun; shape: alibabacloud-devops-mcp-server `operations/flow/types.ts`, every field nullable).
 * A job with a PassPipelineValidate action is a `review` gate.
 */
export function inspectYunxiaoRun(body: unknown, ref: YunxiaoRunRef): RunInspection {
  const root = obj(body);
  const run = obj(root?.pipelineRun) ?? root ?? {};
  const stages: InspectedStage[] = list(run.stages).map((s) => {
    const info = obj(s.stageInfo);
    const jobs = [...list(s.jobs), ...list(info?.jobs)].map(inspectJob);
    return {
      name: str(s.name) ?? str(info?.name) ?? '-',
      ...(str(info?.status) ? { status: str(info?.status) as string } : {}),
      pre: [],
      post: [],
      jobs,
    };
  });
  const out: RunInspection = {
    ref,
    status: str(run.status) ?? 'UNKNOWN',
    stages,
    matcher: { review: [`job action ${VALIDATE_ACTION}`] },
  };
  const name = str(run.name);
  if (name) out.name = name;
  return out;
}

function inspectJob(job: Obj): InspectedJob {
  const id = idOf(job.id) ?? '-';
  const name = str(job.name) ?? '-';
  const status = str(job.status);
  const actions = list(job.actions);
  const gate = actions.find((a) => a.type === VALIDATE_ACTION);
  const steps: InspectedStep[] = actions.map((a) => ({
    id,
    name: str(a.name) ?? str(a.title) ?? '-',
    place: 'job',
    ...(str(a.type) ? { task: str(a.type) as string } : {}),
    ...(status ? { status } : {}),
  }));
  if (gate) {
    const step = steps[actions.indexOf(gate)] as InspectedStep;
    step.gate = { kind: 'review', status: reviewStatus(status, gate.disable === true) };
  } else if (GATE_WORDS.test(name)) {
    steps.push({ id, name, place: 'job', suspect: true, ...(status ? { status } : {}) });
  }
  return { id, name, ...(status ? { status } : {}), steps };
}
