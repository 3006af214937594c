import { grants, matches, PERMISSIONS, type Permission, type Policy, type Role } from '../authz.js';

/** One role that grants a permission to one of the asker's subjects, and over what. */
export interface WhoamiGrant {
  role: string;
  /** Which of the asker's subjects the binding matched (`slack:U…`, `slack-channel:C…`, …). */
  via: string;
  scope: NonNullable<Role['scope']>;
}

export interface WhoamiPermission {
  permission: Permission;
  allowed: boolean;
  /** Every binding that grants it here (empty when denied). */
  grantedBy: WhoamiGrant[];
}

export interface WhoamiReport {
  /** The person, as the policy names them. */
  subject: string;
  /** The place (channel, group), as the policy names it; empty in the CLI. */
  context: string[];
  permissions: WhoamiPermission[];
  rules: Policy['rules'];
}

/**
 * `whoami`: the subjects this person and this place have, and, per permission, which bindings of the policy grant it
 * here (role, matched subject, scope), so an admin can write the policy without reading logs. Uses the policy's own
 * matching (authz.ts `matches`, `grants`); scopes are shown, not evaluated, since no target is named.
 * @example
 * whoami(policy, 'slack:U123', ['slack-channel:C456']).permissions.find((p) => p.permission === 'review.approve');
 */
export function whoami(policy: Policy, subject: string, context: readonly string[]): WhoamiReport {
  const principals = [subject, ...context];
  const permissions = PERMISSIONS.map((permission): WhoamiPermission => {
    const grantedBy: WhoamiGrant[] = [];
    for (const binding of policy.bindings) {
      const role = Object.hasOwn(policy.roles, binding.role) ? policy.roles[binding.role] : undefined;
      if (!role || !role.allow.some((a) => grants(a, permission))) continue;
      const via = principals.find((p) => binding.subjects.some((pattern) => matches(pattern, p)));
      if (via) grantedBy.push({ role: binding.role, via, scope: role.scope ?? {} });
    }
    return { permission, allowed: grantedBy.length > 0, grantedBy };
  });
  return { subject, context: [...context], permissions, rules: policy.rules };
}
