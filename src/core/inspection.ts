import type { GateKind, ReviewStatus } from './ports.js';
import type { RunRef } from './targets.js';

/** What `opsgate doctor` shows: read-only checks and a run's tree with each step's classification. */

/** One read-only check of `opsgate doctor`; `detail` never holds a secret or token. */
export interface ProbeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** One step as `doctor` shows it: platform-neutral, classification included. */
export interface InspectedStep {
  id: string;
  name: string;
  /** Plugin / action type as the cloud names it. */
  task?: string;
  status?: string;
  /** Where the step sits: in a job, or a stage's entry (`pre`) / exit (`post`) check. */
  place: 'job' | 'pre' | 'post';
  /** Set when the step is a gate this provider decides. */
  gate?: { kind: GateKind; status: ReviewStatus };
  /** Not a gate, but its name or task reads like one (checkpoint, manual, review, delay, approve, 审核, 审批, 延时). */
  suspect?: boolean;
}

export interface InspectedJob {
  id: string;
  name: string;
  status?: string;
  steps: InspectedStep[];
}

export interface InspectedStage {
  name: string;
  status?: string;
  pre: InspectedStep[];
  jobs: InspectedJob[];
  post: InspectedStep[];
}

export interface RunInspection {
  ref: RunRef;
  name?: string;
  status: string;
  stages: InspectedStage[];
  /** What the matcher looks for (e.g. `review: official_devcloud_checkpoint`), for the reader to compare. */
  matcher: Record<string, string[]>;
  /** Facts the provider could not settle from public sources, shown beside the tree. */
  notes?: string[];
}
