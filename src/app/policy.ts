import { readFileSync } from 'node:fs';
import { EMPTY_POLICY, type Policy, parsePolicy } from '../core/authz.js';
import { OpsError } from '../core/errors.js';

/** Loads the policy file named by OPSGATE_POLICY; without one, everything but help is denied (default deny). */
export function loadPolicy(
  path: string | undefined,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Policy {
  if (!path) return EMPTY_POLICY;
  let text: string;
  try {
    text = readFile(path);
  } catch {
    throw new OpsError('CONFIG.INVALID', 'OPSGATE_POLICY file cannot be read', { key: 'OPSGATE_POLICY' });
  }
  return parsePolicy(text);
}
