/**
 * Seed specs of the fake CodeArts Pipeline, and the wire shape of GET …/pipeline-runs/detail after
 * huaweicloud/huaweicloud-sdk-go-v3 `services/codeartspipeline/v2/model/` (`model_show_pipeline_run_detail_response.go`,
 * `model_stage_run.go`, `model_job_run.go`, `model_step_run.go`, `model_step_run_inputs.go`,
 * `model_run_pipeline_source*.go`). The parser test runs over test/fixtures/huawei/*.json built from the same models,
 * and test/unit/fakes/fake-shapes.test.ts checks that the fake serves the fixtures' keys.
 */
import type { GateKind } from '../../core/ports.js';

export interface HuaweiRunSpec {
  projectId?: string;
  pipelineId?: string;
  runId?: string;
  /** Region in the devcloud URL (default cn-north-4). */
  region?: string;
  /** Pipeline name. */
  name?: string;
  /** Number of waiting manual reviews (default 1) or their names. */
  reviews?: number | string[];
  /** Waiting delayed-execution steps (`official_devcloud_delay`), by count or names (default none). */
  delays?: number | string[];
  /** Waiting stage-entry check points (a `pre` step of the Deploy stage), by count or stage names (default none). */
  stageChecks?: number | string[];
  /** Running steps of plugins no matcher knows (their tasks), for `doctor` (default none). */
  unknownPlugins?: string[];
  /** Approver user ids in the review steps' `inputs` (default one id). */
  approvers?: string[];
  /** Seed a finished run instead of a waiting one. */
  status?: 'COMPLETED' | 'FAILED' | 'CANCELED';
  /** Task of the review steps (default official_devcloud_checkpoint). */
  reviewTask?: string;
  /** Task of stage-entry check steps (default official_devcloud_manualTrigger; see src/providers/huawei/gates.ts). */
  stageCheckTask?: string;
  /** Status of a waiting gate step (default RUNNING: the only non-terminal StepRun status). */
  waitingStatus?: string;
}

export interface HuaweiReviewSeed {
  name: string;
  kind: GateKind;
  /** Empty for a stage check point (its decision path has no job). */
  jobRunId: string;
  stepRunId: string;
}

export interface HuaweiRunSeed {
  projectId: string;
  pipelineId: string;
  runId: string;
  /** https://devcloud.{region}.huaweicloud.com/cicd/project/{project}/pipeline/detail/{pipeline}/{run}?v=1 */
  url: string;
  /** Manual reviews (kind `review`), as before. */
  reviews: HuaweiReviewSeed[];
  delays: HuaweiReviewSeed[];
  stageChecks: HuaweiReviewSeed[];
}

/** StepRun. */
export interface HuaweiStep {
  id: string;
  name: string | null;
  task: string;
  business_type: string | null;
  inputs: Array<{ key: string; value: unknown }>;
  sequence: number;
  official_task_version: string | null;
  identifier: string;
  multi_step_editable: number;
  endpoint_ids: string[];
  last_dispatch_id: string;
  status: string;
  message: string;
  start_time: number | null;
  end_time: number | null;
}
/** JobRun. */
export interface HuaweiJob {
  id: string;
  category: string | null;
  sequence: number;
  async: string | null;
  name: string;
  identifier: string;
  depends_on: string[];
  condition: string;
  resource: string;
  is_select: boolean;
  timeout: string;
  last_dispatch_id: string;
  status: string;
  message: string;
  start_time: number | null;
  end_time: number | null;
  steps: HuaweiStep[];
  exec_id: string;
}
/** StageRun. */
export interface HuaweiStage {
  id: string;
  category: string | null;
  name: string;
  identifier: string;
  run_always: boolean;
  parallel: string | null;
  is_select: boolean;
  sequence: number;
  depends_on: string[];
  condition: string | null;
  status: string;
  start_time: number | null;
  end_time: number | null;
  pause_time: number | null;
  pre: HuaweiStep[];
  post: HuaweiStep[];
  jobs: HuaweiJob[];
}
/** ShowPipelineRunDetailResponse. */
export interface HuaweiRunDetail {
  id: string;
  pipeline_id: string;
  manifest_version: string;
  name: string;
  description: string;
  is_publish: boolean;
  executor_id: string;
  executor_name: string;
  status: string;
  trigger_type: string;
  run_number: number;
  pause_time: number | null;
  start_time: number;
  end_time: number | null;
  stages: HuaweiStage[];
  domain_id: string;
  project_id: string;
  region: string;
  component_id: string;
  language: string;
  sources: Array<{ type: string; params: Record<string, unknown> }>;
  artifacts: unknown[];
  subject_id: string;
  group_id: string | null;
  group_name: string | null;
  detail_url: string;
  current_system_time: number;
}
