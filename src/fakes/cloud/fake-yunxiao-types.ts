/** Seed specs and the run shape of the fake Yunxiao Flow (sources: fake-yunxiao-runs.ts). */
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

export interface YunxiaoAction {
  data: string | null;
  disable: boolean | null;
  displayType: string | null;
  name: string | null;
  order: number | null;
  params: { validators: string[] } | null;
  title: string | null;
  type: string;
}
export interface YunxiaoJob {
  id: number;
  name: string;
  startTime: number | null;
  endTime: number | null;
  status: string;
  params: string | null;
  jobSign: string | null;
  result: string | null;
  actions: YunxiaoAction[];
}
export interface YunxiaoStage {
  index: string;
  name: string;
  stageInfo: {
    startTime: number | null;
    endTime: number | null;
    name: string;
    status: string | null;
    id: number | null;
    jobs: YunxiaoJob[];
  };
}
export interface YunxiaoRun {
  updateTime: number;
  pipelineConfigId: number | null;
  createTime: number;
  pipelineId: number;
  pipelineRunId: number;
  status: string;
  triggerMode: number | null;
  stageGroup: string[][] | null;
  groups: Array<{ id: number; name: string }> | null;
  pipelineType: string | null;
  creatorAccountId: string | null;
  modifierAccountId: string | null;
  stages: YunxiaoStage[];
  sources: Array<{
    data: Record<string, unknown>;
    name: string | null;
    sign: string | null;
    type: string | null;
    label: string | null;
  }> | null;
  creator: string | null;
  modifier: string | null;
  globalParams: unknown[] | null;
}
