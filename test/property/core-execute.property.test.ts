import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/core/authz.js';
import { createCore } from '../../src/core/core.js';
import { OpsError } from '../../src/core/errors.js';
import type { Outcome } from '../../src/core/outcome.js';
import type { PipelineProvider, Providers, RunView } from '../../src/core/ports.js';
import type { Cloud } from '../../src/core/targets.js';
import { commandText, runs } from './arbitraries.js';

const P1 = 'a'.repeat(32);

/** Every provider method records its call; runs have one waiting review, decisions succeed. */
function recordingProviders(): { providers: Providers; calls: string[] } {
  const calls: string[] = [];
  const pipeline = (cloud: Cloud): PipelineProvider => ({
    cloud,
    async getRun(ref): Promise<RunView> {
      calls.push(`${cloud}.getRun`);
      return {
        ref,
        status: 'RUNNING',
        finished: false,
        reviews: [{ id: '7', jobId: '7', name: 'Gate', status: 'waiting' }],
      };
    },
    async decide() {
      calls.push(`${cloud}.decide`);
      return { requestId: 'r' };
    },
  });
  return {
    calls,
    providers: {
      pipelines: { huawei: pipeline('huawei'), yunxiao: pipeline('yunxiao') },
      build: {
        async disable() {
          calls.push('build.disable');
          return {};
        },
        async update() {
          calls.push('build.update');
          return {};
        },
      },
      check: {
        async show() {
          calls.push('check.show');
          return { rules: {} };
        },
      },
    },
  };
}

/** alice may do everything, but only in one CodeArts project and one Yunxiao organization; bob may only look. */
const policy = parsePolicy(`
roles:
  narrow:
    allow: ["*"]
    scope:
      huawei: { projects: ["${P1}"], buildJobs: ["${P1}"], domains: ["D1"] }
      yunxiao: { organizations: ["org1", "o*"], pipelines: ["*"] }
  viewer:
    allow: [review.pending, notice.show]
    scope: { huawei: { projects: ["*"] }, yunxiao: { organizations: ["*"], pipelines: ["*"] } }
bindings:
  - { role: narrow, subjects: ["cli:alice"] }
  - { role: viewer, subjects: ["cli:bob", "slack-channel:C1"] }
`);

/** Well-formed commands inside and outside alice's scope. */
const wellFormed = fc
  .tuple(
    fc.constantFrom('pending', 'approve', 'reject', 'notify disable', 'notify show project', 'notify show tenant'),
    fc.constantFrom(P1, 'b'.repeat(32), 'D1'),
    fc.constantFrom('org1', 'org2', 'other'),
  )
  .map(([verb, id, org]) => {
    if (verb === 'notify disable') return `${verb} ${id.length === 32 ? id : P1} email`;
    if (verb.startsWith('notify show')) return `${verb} ${id}`;
    return id === 'D1' ? `${verb} yunxiao ${org} 1 2` : `${verb} huawei ${id} ${id} ${id}`;
  });
const anyText = fc.oneof(
  wellFormed,
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 200 }),
  commandText,
  commandText,
);
const subject = fc.constantFrom('cli:alice', 'cli:bob', 'cli:mallory', 'slack:U1', '', '*');
const context = fc.array(fc.constantFrom('slack-channel:C1', 'slack-channel:C2', 'dingtalk-group:x'), { maxLength: 2 });

describe('core.execute (property)', () => {
  it('always resolves an Outcome; INPUT.* and AUTH.DENIED outcomes made no provider call', async () => {
    const codes = new Map<string, number>();
    let ids = 0;
    await fc.assert(
      fc.asyncProperty(anyText, subject, context, async (text, who, ctx) => {
        const { providers, calls } = recordingProviders();
        const core = createCore({
          store: createMemoryStore(),
          providers,
          policy,
          now: () => 1_700_000_000_000,
          newId: () => `id-${++ids}`,
          defaultYunxiaoOrganization: 'org1',
        });
        const outcome: Outcome = await core.execute({ subject: who, context: ctx, text });
        expect(typeof outcome.requestId).toBe('string');
        const key = outcome.ok ? 'ok' : outcome.error.code;
        codes.set(key, (codes.get(key) ?? 0) + 1);
        if (outcome.ok) return;
        expect(outcome.error).toBeInstanceOf(OpsError);
        expect(outcome.error.code).not.toMatch(/^INTERNAL\./);
        if (outcome.error.code.startsWith('INPUT.') || outcome.error.code === 'AUTH.DENIED') {
          expect(calls).toEqual([]);
        }
      }),
      runs(1500),
    );
    // Each branch was exercised: successes, refusals of input, and denials.
    expect(codes.get('ok')).toBeGreaterThan(20);
    expect(codes.get('AUTH.DENIED')).toBeGreaterThan(20);
    expect(codes.get('INPUT.BAD_ID')).toBeGreaterThan(20);
  });

  it('never rejects even when a provider throws something that is not an OpsError', async () => {
    const { providers } = recordingProviders();
    providers.pipelines.huawei!.getRun = async () => {
      throw new TypeError('boom with secret sk=abc');
    };
    const core = createCore({ store: createMemoryStore(), providers, policy });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('pending', 'approve', 'reject'), async (verb) => {
        const outcome = await core.execute({ subject: 'cli:alice', text: `${verb} huawei ${P1} ${P1} ${P1}` });
        expect(outcome.ok).toBe(false);
        if (outcome.ok) return;
        expect(outcome.error.code).toBe('INTERNAL.ERROR');
        expect(outcome.error.message).not.toContain('secret');
      }),
      runs(20),
    );
  });
});
