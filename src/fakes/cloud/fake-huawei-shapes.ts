import { hexId } from './fake-http.js';
import type { HuaweiJob, HuaweiRunDetail, HuaweiStage, HuaweiStep } from './fake-huawei-types.js';

/**
 * Builders of the run-detail elements, field for field after the SDK models named in fake-huawei-types.ts.
 * Plugin names and the review `inputs` keys come from terraform-provider-huaweicloud
 * `huaweicloud/services/acceptance/codeartspipeline/resource_huaweicloud_codearts_pipeline_test.go` (the pipeline
 * definition with `official_devcloud_checkpoint`, `official_devcloud_autoTrigger` as the stage `pre` step).
 */
export const MANUAL_REVIEW_TASK = 'official_devcloud_checkpoint';
export const DELAY_TASK = 'official_devcloud_delay';
export const AUTO_ENTRY_TASK = 'official_devcloud_autoTrigger';
/** UNSETTLED (no official source): see src/providers/huawei/gates.ts. */
export const MANUAL_ENTRY_TASK = 'official_devcloud_manualTrigger';

/** A StepRun (`model_step_run.go`). */
export function stepOf(
  name: string | null,
  task: string,
  businessType: string | null,
  status: string,
  at: number | null,
  inputs: HuaweiStep['inputs'] = [],
): HuaweiStep {
  const id = hexId();
  return {
    id,
    name,
    task,
    business_type: businessType,
    inputs,
    sequence: 0,
    official_task_version: task === AUTO_ENTRY_TASK ? null : '0.0.5',
    identifier: `${Date.now()}${id.slice(0, 8)}`,
    multi_step_editable: 0,
    endpoint_ids: [],
    last_dispatch_id: hexId(),
    status,
    message: '',
    start_time: status === 'INIT' ? null : at,
    end_time: ['COMPLETED', 'FAILED', 'CANCELED'].includes(status) ? at : null,
  };
}

/** The manual review's `inputs` as the terraform acceptance test defines them. */
export function reviewInputs(approvers: readonly string[]): HuaweiStep['inputs'] {
  return [
    { key: 'audit_source', value: 'members' },
    { key: 'approvers', value: approvers.join(',') },
    { key: 'audit_role', value: '' },
    { key: 'check_strategy', value: 'all' },
    { key: 'timeout_strategy', value: 'reject' },
    { key: 'timeout', value: 3600 },
    { key: 'comment', value: '' },
  ];
}

/** A JobRun (`model_job_run.go`) around its steps. */
export function jobOf(name: string, steps: HuaweiStep[], sequence = 0, id = hexId()): HuaweiJob {
  const first = steps[0];
  return {
    id,
    category: null,
    sequence,
    async: null,
    name,
    identifier: `JOB_${id.slice(0, 5)}`,
    depends_on: [],
    condition: '${{ default() }}',
    resource: '{"type":"system","arch":"x86"}',
    is_select: true,
    timeout: '',
    last_dispatch_id: hexId(),
    status: first?.status ?? 'INIT',
    message: '',
    start_time: first?.start_time ?? null,
    end_time: first?.end_time ?? null,
    steps,
    exec_id: hexId(),
  };
}

/** A StageRun (`model_stage_run.go`): entry checks in `pre`, exit checks in `post`. */
export function stageOf(
  sequence: number,
  name: string,
  status: string,
  pre: HuaweiStep[],
  jobs: HuaweiJob[],
): HuaweiStage {
  const id = hexId();
  return {
    id,
    category: null,
    name,
    identifier: `${Date.now()}${id.slice(0, 8)}`,
    run_always: false,
    parallel: null,
    is_select: true,
    sequence,
    depends_on: [],
    condition: null,
    status,
    start_time: pre[0]?.start_time ?? null,
    end_time: null,
    pause_time: null,
    pre,
    post: [],
    jobs,
  };
}

/** The run (`model_show_pipeline_run_detail_response.go`) with one code source (`model_run_pipeline_source*.go`). */
export function runOf(fields: {
  id: string;
  pipelineId: string;
  projectId: string;
  region: string;
  name: string;
  status: string;
  runNumber: number;
  at: number;
  url: string;
  stages: HuaweiStage[];
}): HuaweiRunDetail {
  return {
    id: fields.id,
    pipeline_id: fields.pipelineId,
    manifest_version: '3.0',
    name: fields.name,
    description: '',
    is_publish: false,
    executor_id: hexId(),
    executor_name: 'devops_zhang',
    status: fields.status,
    trigger_type: 'Manual',
    run_number: fields.runNumber,
    pause_time: null,
    start_time: fields.at,
    end_time: null,
    stages: fields.stages,
    domain_id: hexId(),
    project_id: fields.projectId,
    region: fields.region,
    component_id: '',
    language: 'zh-cn',
    sources: [
      {
        type: 'code',
        params: {
          git_type: 'codehub',
          git_url: `https://codehub.devcloud.${fields.region}.huaweicloud.com/demo/${fields.name}.git`,
          ssh_git_url: `git@codehub.devcloud.${fields.region}.huaweicloud.com:demo/${fields.name}.git`,
          web_url: null,
          repo_name: fields.name,
          default_branch: 'master',
          endpoint_id: null,
          codehub_id: '2111',
          alias: fields.name,
          build_params: {
            action: null,
            build_type: 'branch',
            commit_id: hexId(40),
            event_type: 'Manual',
            merge_id: null,
            message: 'Release candidate',
            source_branch: null,
            tag: null,
            target_branch: 'master',
            codehub_id: '2111',
            source_codehub_id: null,
            source_codehub_url: null,
            source_codehub_http_url: null,
          },
        },
      },
    ],
    artifacts: [],
    subject_id: fields.id,
    group_id: null,
    group_name: null,
    detail_url: fields.url,
    current_system_time: fields.at,
  };
}
