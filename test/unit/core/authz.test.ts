import { describe, expect, it } from 'vitest';
import { authorize, parsePolicy } from '../../../src/core/authz.js';
import { parseCommand } from '../../../src/core/grammar/commands.js';
import type { OpsError } from '../../../src/core/errors.js';

const P = 'd80a8a6530324b7bac972cbb8a9f28ec';
const OTHER = 'ffffffffffffffffffffffffffffffff';
const PL = '8bfbd69eac154a0da341705a36294aca';
const R = '12abeb9da0964cf3bd3ffd6813153e12';

const policy = parsePolicy(`
roles:
  releaser:
    allow: [review.reject, review.approve, review.pending]
    scope: { huawei: { projects: ["${P}"] }, yunxiao: { organizations: ["org1"], pipelines: ["*"] } }
  viewer:
    allow: [review.pending, notice.show]
    scope: { huawei: { projects: ["*"] } }
  builder:
    allow: ["notice.*"]
    scope: { huawei: { buildJobs: ["${PL}"], domains: ["dom1"] } }
bindings:
  - role: releaser
    subjects: ["slack:U123", "slack-channel:C456", "cli:*"]
  - role: viewer
    subjects: ["dingtalk:staff789"]
  - role: builder
    subjects: ["dingtalk-group:cid1"]
`);

const reject = (project: string) => parseCommand(`reject huawei ${project} ${PL} ${R} bad`);

describe('authorization', () => {
  it('allows a bound subject within scope and says why', () => {
    const d = authorize(policy, ['slack:U123'], reject(P));
    expect(d.allowed).toBe(true);
    expect(d.grantedBy).toEqual({ role: 'releaser', subject: 'slack:U123' });
  });

  it('allows through the channel principal and through a prefix pattern', () => {
    expect(authorize(policy, ['slack:U999', 'slack-channel:C456'], reject(P)).allowed).toBe(true);
    expect(authorize(policy, ['cli:alice'], reject(P)).allowed).toBe(true);
  });

  it('denies by default, out of scope, and without the permission, naming the reason', () => {
    const none = authorize(policy, ['slack:U000'], reject(P));
    expect(none.allowed).toBe(false);
    expect(none.reasons[0]).toContain('no role');
    const scope = authorize(policy, ['slack:U123'], reject(OTHER));
    expect(scope.allowed).toBe(false);
    expect(scope.reasons.join()).toContain('outside its scope');
    const perm = authorize(policy, ['dingtalk:staff789'], reject(P));
    expect(perm.allowed).toBe(false);
    expect(perm.reasons.join()).toContain('does not allow review.reject');
  });

  it('scopes Yunxiao by organization and build jobs by id or wildcard', () => {
    expect(authorize(policy, ['slack:U123'], parseCommand('pending yunxiao org1 1 2')).allowed).toBe(true);
    expect(authorize(policy, ['slack:U123'], parseCommand('pending yunxiao org2 1 2')).allowed).toBe(false);
    expect(authorize(policy, ['dingtalk-group:cid1'], parseCommand(`notify disable ${PL} email`)).allowed).toBe(true);
    expect(authorize(policy, ['dingtalk-group:cid1'], parseCommand(`notify disable ${R} email`)).allowed).toBe(false);
    expect(authorize(policy, ['dingtalk-group:cid1'], parseCommand('notify show tenant dom1')).allowed).toBe(true);
    expect(authorize(policy, ['dingtalk:staff789'], parseCommand(`notify show project ${P}`)).allowed).toBe(true);
  });

  it('lets everyone read help', () => {
    expect(authorize(policy, ['anyone'], parseCommand('help')).allowed).toBe(true);
  });

  it('rejects malformed policies with the key at fault', () => {
    const bad = (yaml: string) => {
      try {
        parsePolicy(yaml);
      } catch (err) {
        return err as OpsError;
      }
      throw new Error('expected failure');
    };
    expect(bad('roles: { r: { allow: [review.nuke] } }').meta.key).toBe('policy.roles.r.allow');
    expect(bad('bindings: [{ role: ghost, subjects: [x] }]').meta.key).toBe('policy.bindings.0.role');
    expect(bad('roles: { r: { allow: [], extra: 1 } }').code).toBe('CONFIG.INVALID');
    expect(bad('roles: [').code).toBe('CONFIG.INVALID');
  });

  it('does not let a wildcard-looking subject in a request bypass exact bindings', () => {
    expect(authorize(policy, ['slack:*'], reject(P)).allowed).toBe(false);
    expect(authorize(policy, ['slack:U123 '], reject(P)).allowed).toBe(false);
  });
});
