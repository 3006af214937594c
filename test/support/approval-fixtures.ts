import type { Approval } from '../../src/core/store-ports.js';

/** A fixed "now" for rendered approvals: 2026-11-29 14:40 UTC. */
export const EVIDENCE_NOW = Date.UTC(2026, 10, 29, 14, 40);

const base = (): Approval => ({
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  ref: {
    cloud: 'huawei',
    projectId: '0123456789abcdef0123456789abcdef',
    pipelineId: 'fedcba9876543210fedcba9876543210',
    runId: '00112233445566778899aabbccddeeff',
    jobRunId: 'aaaabbbbccccddddeeeeffff00001111',
    stepRunId: '22223333444455556666777788889999',
  },
  review: {
    id: '22223333444455556666777788889999',
    jobId: 'aaaabbbbccccddddeeeeffff00001111',
    name: 'Release approval',
  },
  status: 'open',
  createdAt: EVIDENCE_NOW - 20 * 60_000,
  updatedAt: EVIDENCE_NOW - 20 * 60_000,
  expiresAt: EVIDENCE_NOW + 100 * 60_000,
  messages: [],
  approvers: [],
  version: 0,
});

/**
 * Every optional field set, shaped after what CodeArts run details carry (trigger, repository, branch, commit id and
 * message; the manual review step's `approvers`, `check_strategy`, `timeout` and `timeout_strategy` inputs). Hostile
 * text in the free-form fields checks the escaping.
 */
export function fullApproval(): Approval {
  return {
    ...base(),
    runName: 'web-release & <api>',
    runNumber: 42,
    requester: 'slack:UALICE',
    review: {
      ...base().review,
      stage: 'Deploy',
      kind: 'review',
      since: EVIDENCE_NOW - 25 * 60_000,
      settings: {
        approvers: ['u-1', 'u-2', 'u-3'],
        strategy: 'all',
        timeoutMinutes: 145,
        onTimeout: 'reject',
        approvedBy: ['u-1'],
      },
    },
    evidence: {
      triggeredBy: 'alice <!channel>',
      trigger: 'Manual',
      repository: 'shop/web',
      branch: 'release/1.4',
      commitId: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      commitMessage: 'Fix checkout for <@U123> & friends\n\nLonger body that is not shown',
      startedAt: EVIDENCE_NOW - 40 * 60_000,
      url: 'https://devcloud.cn-north-4.huaweicloud.com/cicd/project/0123456789abcdef0123456789abcdef/pipeline/detail/fedcba9876543210fedcba9876543210/00112233445566778899aabbccddeeff?v=1',
    },
  };
}

/** Nothing optional. */
export function minimalApproval(): Approval {
  return base();
}

/** Optional fields present but `null`, as clouds send them (typed loosely on purpose). */
export function nullApproval(): Approval {
  const a = base() as unknown as Record<string, unknown>;
  return {
    ...a,
    runName: null,
    runNumber: null,
    review: { ...base().review, since: null, settings: { approvers: null, strategy: null, timeoutMinutes: null } },
    evidence: {
      triggeredBy: null,
      trigger: null,
      repository: null,
      branch: null,
      commitId: null,
      commitMessage: null,
      startedAt: null,
      url: null,
    },
  } as unknown as Approval;
}
