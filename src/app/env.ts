import { readFileSync } from 'node:fs';
import { OpsError } from '../core/errors.js';

export type Env = Record<string, string | undefined>;

/**
 * Reads one variable, or its `NAME_FILE` twin (Docker/Kubernetes secrets mounted as files). Setting both is an error:
 * silently preferring one hides a misconfiguration. Values are trimmed of the trailing newline files usually carry.
 */
export function readVar(env: Env, name: string, readFile: (path: string) => string = defaultRead): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && direct !== '' && file) {
    throw new OpsError('CONFIG.INVALID', `${name} and ${name}_FILE are both set`, { key: name });
  }
  if (file) {
    try {
      return readFile(file).replace(/\r?\n$/, '');
    } catch {
      throw new OpsError('CONFIG.INVALID', `${name}_FILE cannot be read`, { key: `${name}_FILE` });
    }
  }
  return direct === '' ? undefined : direct;
}

function defaultRead(path: string): string {
  return readFileSync(path, 'utf8');
}
