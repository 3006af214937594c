import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { authorize, PERMISSIONS, type Policy, parsePolicy } from '../../src/core/authz.js';
import { type Command, parseCommand } from '../../src/core/grammar/commands.js';
import { OpsError } from '../../src/core/errors.js';
import { runs } from './arbitraries.js';

const P1 = 'a'.repeat(32);
const P2 = 'b'.repeat(32);
/** One command per operation, over a small pool of scopes so roles both match and miss. */
const COMMANDS: Command[] = [
  `reject huawei ${P1} ${P1} ${P1} bad`,
  `approve huawei ${P2} ${P2} ${P2}`,
  `pending yunxiao o1 1 2`,
  `watch yunxiao o2 2 3`,
  `notify disable ${P1} email`,
  `notify update ${P2} dingtalk buildJobFail`,
  `notify show project ${P1}`,
  `notify show tenant D1`,
  'help',
].map((text) => parseCommand(text));

const PROTO_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const roleName = fc.constantFrom('releaser', 'viewer', 'notifier', 'r.1', ...PROTO_NAMES);
const subjectPattern = fc.constantFrom('*', 'cli:*', 'cli:alice', 'slack:U1', 'slack-channel:*', 'dingtalk:bob', 'x*');
const scopeList = fc.oneof(
  fc.constant(['*']),
  fc.array(fc.constantFrom('*', P1, P2, 'o1', 'o2', '1', '2', 'D1', 'o*'), { maxLength: 3 }),
);
const allow = fc.array(fc.constantFrom(...PERMISSIONS, '*', 'review.*', 'notice.*', 'approval.*'), { maxLength: 4 });
const role = fc.record(
  {
    allow,
    scope: fc.record(
      {
        huawei: fc.record({ projects: scopeList, buildJobs: scopeList, domains: scopeList }, { requiredKeys: [] }),
        yunxiao: fc.record({ organizations: scopeList, pipelines: scopeList }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['allow'] },
);
/** A role with every scope key present (missing scope keys grant nothing, so `role` alone rarely allows). */
const broadRole = fc.record({
  allow: fc.array(fc.constantFrom(...PERMISSIONS, '*', 'review.*', 'notice.*'), { minLength: 1, maxLength: 4 }),
  scope: fc.record({
    huawei: fc.record({ projects: scopeList, buildJobs: scopeList, domains: scopeList }),
    yunxiao: fc.record({ organizations: scopeList, pipelines: scopeList }),
  }),
});
/** Policy-shaped objects; entries are own properties even when named `__proto__`. */
const policyObject = fc.record(
  {
    roles: fc.array(fc.tuple(roleName, role), { maxLength: 4 }).map((e) => Object.fromEntries(e)),
    bindings: fc.array(fc.record({ role: roleName, subjects: fc.array(subjectPattern, { maxLength: 3 }) }), {
      maxLength: 4,
    }),
    rules: fc.record({ noSelfApproval: fc.boolean(), twoApprovers: fc.array(fc.constantFrom('*', 'huawei:x')) }),
  },
  { requiredKeys: [] },
);

/** Policies whose bindings name the roles they define (mostly), so that authorize has something to allow. */
const boundPolicyObject = fc
  .uniqueArray(fc.tuple(roleName, fc.oneof(role, broadRole)), {
    minLength: 1,
    maxLength: 4,
    selector: ([name]) => name,
  })
  .chain((entries) =>
    fc.record({
      roles: fc.constant(Object.fromEntries(entries)),
      bindings: fc.array(
        fc.record({
          role: fc.constantFrom(...entries.map(([name]) => name)),
          subjects: fc.array(subjectPattern, { minLength: 1, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  );

const YAML_PIECES = [
  ...['roles:', 'bindings:', 'rules:', 'allow:', 'scope:', 'huawei:', 'yunxiao:', 'projects:', 'subjects:', 'role:'],
  ...['noSelfApproval:', 'twoApprovers:', '- ', '  ', '\n', '\t', '[', ']', '{', '}', ',', ':', '"', "'", '&a ', '*a'],
  ...['<<: *a', '!!str ', '!!binary ', '!!map ', '!!set ', '? ', '|', '>', '#', '---\n', '...\n', '%YAML 1.2\n'],
  ...['review.reject', 'review.*', '*', 'true', 'null', '~', '1e999', '0x1F', 'releaser', ...PROTO_NAMES],
];
const yamlish = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(...YAML_PIECES), weight: 4 }, fc.string({ maxLength: 8 })), {
    maxLength: 60,
  })
  .map((pieces) => pieces.join(''));
const anyObjectYaml = fc
  .oneof(policyObject, fc.anything({ maxDepth: 3 }), fc.object({ maxDepth: 2 }))
  .map((value) => stringify(value) ?? '');

/** parsePolicy returns a policy, or throws CONFIG.INVALID naming the key; a returned policy authorizes without throwing. */
function checkParse(text: string): Policy | undefined {
  let policy: Policy;
  try {
    policy = parsePolicy(text);
  } catch (err) {
    if (!(err instanceof OpsError)) throw new Error(`not an OpsError: ${String(err)}`);
    expect(err.code).toBe('CONFIG.INVALID');
    expect(err.meta.key).toMatch(/^(policy\b|OPSGATE_POLICY$)/);
    expect(err.message.length).toBeGreaterThan(0);
    return undefined;
  }
  expect(Array.isArray(policy.bindings)).toBe(true);
  for (const command of COMMANDS) authorize(policy, ['cli:alice', 'slack:U1', 'xyz'], command);
  return policy;
}

// The yaml library reports unresolved tags and odd aliases through process.emitWarning: keep the run's output readable.
let emitWarning: typeof process.emitWarning;
beforeAll(() => {
  emitWarning = process.emitWarning;
  process.emitWarning = () => {};
});
afterAll(() => {
  process.emitWarning = emitWarning;
});

describe('parsePolicy (property)', () => {
  it('YAML-ish text: a policy or CONFIG.INVALID with a key', () => {
    fc.assert(
      fc.property(yamlish, (text) => void checkParse(text)),
      runs(),
    );
  });

  it('arbitrary objects serialised to YAML: a policy or CONFIG.INVALID with a key', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyObjectYaml, (text) => {
        if (checkParse(text)) accepted++;
      }),
      runs(1000),
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('a binding to an Object.prototype name is an unknown role', () => {
    for (const name of PROTO_NAMES) {
      const text = `roles: { r: { allow: ["*"] } }\nbindings: [{ role: ${name}, subjects: ["*"] }]`;
      expect(() => parsePolicy(text)).toThrowError(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    }
  });
});

/** The documented semantics, written out independently of the implementation. */
const matches = (pattern: string, value: string) =>
  pattern === '*' || pattern === value || (pattern.endsWith('*') && value.startsWith(pattern.slice(0, -1)));
const grants = (a: string, permission: string) =>
  a === '*' || a === permission || (a.endsWith('.*') && permission.startsWith(a.slice(0, -1)));
const principal = fc.oneof(
  fc.constantFrom('cli:alice', 'cli:bob', 'slack:U1', 'slack-channel:C1', 'dingtalk:bob', 'xavier', 'nobody'),
  fc.string({ maxLength: 12 }),
);

describe('authorize (property)', () => {
  const input = fc.record({
    policy: fc.oneof({ arbitrary: boundPolicyObject, weight: 3 }, policyObject).map((o) => checkParse(stringify(o))),
    principals: fc.array(principal, { maxLength: 3 }),
    command: fc.constantFrom(...COMMANDS),
  });

  it('default deny: never allows a principal no binding pattern matches, nor a permission no bound role lists', () => {
    let allowed = 0;
    fc.assert(
      fc.property(input, ({ policy, principals, command }) => {
        if (!policy) return;
        const decision = authorize(policy, principals, command);
        if (command.op === 'help') return void expect(decision.allowed).toBe(true);
        const bound = policy.bindings.filter((b) => principals.some((p) => b.subjects.some((s) => matches(s, p))));
        const listing = bound.filter((b) =>
          Object.hasOwn(policy.roles, b.role) ? policy.roles[b.role]!.allow.some((a) => grants(a, command.op)) : false,
        );
        if (bound.length === 0 || listing.length === 0) expect(decision.allowed).toBe(false);
        if (!decision.allowed) return;
        allowed++;
        const by = decision.grantedBy!;
        expect(principals).toContain(by.subject);
        expect(listing.some((b) => b.role === by.role && b.subjects.some((s) => matches(s, by.subject)))).toBe(true);
      }),
      runs(1000),
    );
    expect(allowed).toBeGreaterThan(50);
  });

  it('no principals, no permission', () => {
    fc.assert(
      fc.property(input, ({ policy, command }) => {
        if (policy && command.op !== 'help') expect(authorize(policy, [], command).allowed).toBe(false);
      }),
      runs(500),
    );
  });
});
