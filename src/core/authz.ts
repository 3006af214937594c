import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Command } from './commands.js';
import { OpsError } from './errors.js';
import type { RunRef } from './targets.js';

/**
 * Default-deny policy: roles grant permissions within a scope; bindings give roles to subjects. A request carries
 * several principals (the person and, in chats, the channel/group), and is allowed when any of them holds a role
 * that grants the permission over the target.
 *
 * @example
 * const policy = parsePolicy(`roles: { releaser: { allow: [review.reject], scope: { huawei: { projects: ["*"] } } } }
 * bindings: [{ role: releaser, subjects: ["slack:U123"] }]`);
 * authorize(policy, ['slack:U123'], command).allowed; // true
 */
const list = z.array(z.string().min(1).max(200)).max(1000);
const roleSchema = z.strictObject({
  allow: list,
  scope: z
    .strictObject({
      huawei: z
        .strictObject({ projects: list.optional(), buildJobs: list.optional(), domains: list.optional() })
        .optional(),
      yunxiao: z.strictObject({ organizations: list.optional(), pipelines: list.optional() }).optional(),
    })
    .optional(),
});
/** `90s`, `30m`, `2h`, `1d` → milliseconds. */
const duration = z
  .string()
  .regex(/^[1-9][0-9]{0,5}(s|m|h|d)$/, 'a duration like 30m, 2h or 1d')
  .transform((v) => Number(v.slice(0, -1)) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[v.slice(-1) as 's']);

const policySchema = z.strictObject({
  roles: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), roleSchema).default({}),
  bindings: z.array(z.strictObject({ role: z.string(), subjects: list })).default([]),
  rules: z
    .strictObject({
      /** The person who requested an approval may not decide it. */
      noSelfApproval: z.boolean().default(false),
      /** Pipelines (`huawei:<pipelineId>`, `yunxiao:<pipelineId>`, or `*`) that need two distinct approvers. */
      twoApprovers: list.default([]),
    })
    .default({ noSelfApproval: false, twoApprovers: [] }),
  /**
   * Reminders and escalation, per pipeline (the first rule whose `pipelines` matches `huawei:<id>` / `yunxiao:<id>`,
   * `*` for a default). Durations are like `30m`, `2h`, `1d`.
   */
  reminders: z
    .array(
      z.strictObject({
        pipelines: list.min(1),
        /** Remind in the approval's thread this long after it opened. */
        after: z.array(duration).max(10).default([]),
        /** …and this long before the gate's timeout (or opsgate's expiry when the gate has none). */
        beforeTimeout: z.array(duration).max(10).default([]),
        escalate: z
          .strictObject({
            after: duration,
            /** Channels where the approval is posted again: `slack:C…`, `dingtalk:<conversationId>`. */
            channels: list.default([]),
            /** People told directly: `slack:U…`, `dingtalk:<staffId>`. */
            people: list.default([]),
          })
          .optional(),
      }),
    )
    .max(1000)
    .default([]),
  /**
   * Ties chat subjects to cloud user ids, so a gate's own approver list (CodeArts `approvers`, Yunxiao `validators`)
   * can be honoured: a mapped person who is not on the list may not decide that gate through opsgate.
   */
  identities: z
    .array(
      z.strictObject({
        subjects: list.min(1),
        huawei: z.string().min(1).max(128).optional(),
        yunxiao: z.string().min(1).max(128).optional(),
      }),
    )
    .max(10_000)
    .default([]),
});

export type Policy = z.infer<typeof policySchema>;
export type Role = z.infer<typeof roleSchema>;

export const PERMISSIONS = [
  'review.reject',
  'review.approve',
  'review.pending',
  'notice.disable',
  'notice.update',
  'notice.show',
  'approval.watch',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const EMPTY_POLICY: Policy = {
  roles: {},
  bindings: [],
  rules: { noSelfApproval: false, twoApprovers: [] },
  reminders: [],
  identities: [],
};

/** Parses and validates policy YAML; every problem names its key. */
export function parsePolicy(text: string): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50, logLevel: 'error' }) ?? {};
  } catch (err) {
    throw new OpsError('CONFIG.INVALID', 'policy is not valid YAML', { key: 'OPSGATE_POLICY' }, { cause: err });
  }
  const checked = policySchema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new OpsError(
      'CONFIG.INVALID',
      `policy: ${issue?.message ?? 'invalid'} at ${issue?.path.join('.') || '(root)'}`,
      {
        key: `policy.${issue?.path.join('.') ?? ''}`,
      },
    );
  }
  const policy = checked.data;
  for (const [name, role] of Object.entries(policy.roles)) {
    for (const perm of role.allow) {
      if (perm !== '*' && !perm.endsWith('.*') && !(PERMISSIONS as readonly string[]).includes(perm)) {
        throw new OpsError('CONFIG.INVALID', `policy: role ${name} allows unknown permission "${perm}"`, {
          key: `policy.roles.${name}.allow`,
        });
      }
    }
  }
  for (const [i, binding] of policy.bindings.entries()) {
    // Own keys only: a binding to "toString" or "constructor" must not find Object.prototype's.
    if (!Object.hasOwn(policy.roles, binding.role)) {
      throw new OpsError('CONFIG.INVALID', `policy: binding ${i} names unknown role "${binding.role}"`, {
        key: `policy.bindings.${i}.role`,
      });
    }
  }
  return policy;
}

/**
 * Operations open to everyone: they show only what concerns the asker (help; whoami: the asker's own subjects and
 * grants; inbox: only approvals the asker may decide, each checked against the policy).
 */
export const OPEN_OPERATIONS = ['help', 'whoami', 'inbox'] as const;
export type OpenOperation = (typeof OPEN_OPERATIONS)[number];

export interface AuthzDecision {
  allowed: boolean;
  permission: Permission | OpenOperation;
  /** Roles that matched a principal, with why each did or did not grant. */
  reasons: string[];
  grantedBy?: { role: string; subject: string };
}

/** What a command touches, for scope checks. */
export type Resource =
  | { kind: 'none' }
  | { kind: 'run'; ref: RunRef }
  | { kind: 'build-job'; jobId: string }
  | { kind: 'check'; scope: 'project' | 'tenant'; id: string };

export function permissionOf(command: Command): Permission | OpenOperation {
  // Postponing a delay gate is a softer approve (as commandForDecision in approvals/gate.ts has it).
  return command.op === 'review.postpone' ? 'review.approve' : command.op;
}

export function resourceOf(command: Command): Resource {
  switch (command.op) {
    case 'review.reject':
    case 'review.approve':
    case 'review.postpone':
    case 'review.pending':
    case 'approval.watch':
      return { kind: 'run', ref: command.target };
    case 'notice.disable':
    case 'notice.update':
      return { kind: 'build-job', jobId: command.jobId };
    case 'notice.show':
      if (command.scope === 'build') return { kind: 'build-job', jobId: command.id };
      return { kind: 'check', scope: command.scope, id: command.id };
    case 'help':
    case 'whoami':
    case 'inbox':
      return { kind: 'none' };
  }
}

export function authorize(policy: Policy, principals: readonly string[], command: Command): AuthzDecision {
  const permission = permissionOf(command);
  if ((OPEN_OPERATIONS as readonly string[]).includes(permission)) {
    return { allowed: true, permission, reasons: [`${permission} is open to everyone`] };
  }
  const resource = resourceOf(command);
  const reasons: string[] = [];
  for (const binding of policy.bindings) {
    const subject = principals.find((p) => binding.subjects.some((pattern) => matches(pattern, p)));
    if (!subject) continue;
    const role = Object.hasOwn(policy.roles, binding.role) ? policy.roles[binding.role] : undefined;
    if (!role) continue;
    if (!role.allow.some((a) => grants(a, permission))) {
      reasons.push(`role ${binding.role} (via ${subject}) does not allow ${permission}`);
      continue;
    }
    const why = outOfScope(role, resource);
    if (why) {
      reasons.push(`role ${binding.role} (via ${subject}) allows ${permission} but ${why}`);
      continue;
    }
    reasons.push(`role ${binding.role} (via ${subject}) allows ${permission}`);
    return { allowed: true, permission, reasons, grantedBy: { role: binding.role, subject } };
  }
  if (reasons.length === 0) reasons.push(`no role is bound to ${principals.join(', ') || 'this subject'}`);
  return { allowed: false, permission, reasons };
}

/** Whether an `allow` entry (`review.reject`, `review.*`, `*`) grants a permission. */
export function grants(allowed: string, permission: string): boolean {
  if (allowed === '*' || allowed === permission) return true;
  return allowed.endsWith('.*') && permission.startsWith(allowed.slice(0, -1));
}

/** `*` alone, an exact value, or a prefix ending in `*` (e.g. `cli:*`). */
export function matches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

function inList(values: readonly string[] | undefined, value: string): boolean {
  return values?.some((p) => matches(p, value)) ?? false;
}

/** Returns why the resource is outside the role's scope, or undefined when it is inside. A missing scope grants nothing. */
export function outOfScope(role: Role, resource: Resource): string | undefined {
  const huawei = role.scope?.huawei;
  const yunxiao = role.scope?.yunxiao;
  switch (resource.kind) {
    case 'none':
      return undefined;
    case 'run':
      if (resource.ref.cloud === 'huawei') {
        return inList(huawei?.projects, resource.ref.projectId)
          ? undefined
          : `CodeArts project ${resource.ref.projectId} is outside its scope`;
      }
      if (!inList(yunxiao?.organizations, resource.ref.organizationId ?? '')) {
        return `Yunxiao organization ${resource.ref.organizationId ?? '(none)'} is outside its scope`;
      }
      return inList(yunxiao?.pipelines, resource.ref.pipelineId)
        ? undefined
        : `Yunxiao pipeline ${resource.ref.pipelineId} is outside its scope`;
    case 'build-job':
      // A build job ID does not say its project, so only a wildcard project scope or a listed job grants it.
      return inList(huawei?.buildJobs, resource.jobId) || huawei?.projects?.includes('*')
        ? undefined
        : `build job ${resource.jobId} is outside its scope`;
    case 'check':
      if (resource.scope === 'project') {
        return inList(huawei?.projects, resource.id)
          ? undefined
          : `CodeArts project ${resource.id} is outside its scope`;
      }
      return inList(huawei?.domains, resource.id) ? undefined : `tenant ${resource.id} is outside its scope`;
  }
}

/** Throws AUTH.DENIED naming the missing permission (no cloud call happens before this). */
export function assertAllowed(policy: Policy, principals: readonly string[], command: Command): AuthzDecision {
  const decision = authorize(policy, principals, command);
  if (!decision.allowed) {
    throw new OpsError('AUTH.DENIED', `${principals[0] ?? 'subject'} may not ${decision.permission}`, {
      permission: decision.permission,
      subject: principals[0] ?? '',
    });
  }
  return decision;
}
