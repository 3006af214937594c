/** Seed specs and the wire shape of GET …/pipeline-runs/detail (docs/reference/real-shapes.md "Huawei Pipeline"). */
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
  /** Seed a finished run instead of a waiting one. */
  status?: 'COMPLETED' | 'FAILED' | 'CANCELED';
  /** Task of the review steps (default official_devcloud_manualReview). */
  reviewTask?: string;
  /** Status of a waiting review step (default PAUSED; PENDING/SUSPEND/WAITING exercise the other spellings). */
  waitingStatus?: string;
}

export interface HuaweiReviewSeed {
  name: string;
  jobRunId: string;
  stepRunId: string;
}

export interface HuaweiRunSeed {
  projectId: string;
  pipelineId: string;
  runId: string;
  /** https://devcloud.{region}.huaweicloud.com/cicd/project/{project}/pipeline/detail/{pipeline}/{run}?v=1 */
  url: string;
  reviews: HuaweiReviewSeed[];
}

export interface HuaweiStep {
  id: string;
  name: string;
  task: string;
  business_type: string;
  status: string;
}
export interface HuaweiJob {
  id: string;
  name: string;
  status: string;
  steps: HuaweiStep[];
}
export interface HuaweiStage {
  id: string;
  name: string;
  sequence: number;
  status: string;
  jobs: HuaweiJob[];
}
export interface HuaweiRunDetail {
  id: string;
  pipeline_id: string;
  project_id: string;
  name: string;
  status: string;
  run_number: number;
  start_time: number;
  end_time: number;
  stages: HuaweiStage[];
}
