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

/** Reads a variable (with its _FILE twin). */
export type Get = (name: string) => string | undefined;

/** A required variable; CONFIG.INVALID names it when missing. */
export function need(v: Get, name: string): string {
  const value = v(name);
  if (value === undefined) throw new OpsError('CONFIG.INVALID', `${name} is required`, { key: name });
  return value;
}

/** An optional http(s) URL, trailing slashes removed. */
export function url(v: Get, name: string): string | undefined {
  const value = v(name);
  if (value === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) bad(name, 'an http(s) URL');
  return value.replace(/\/+$/, '');
}

/** An optional whole number within bounds. */
export function int(v: Get, name: string, fallback: number, min = 0, max = 1_000_000_000): number {
  const value = v(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d{1,10}$/.test(value) || n < min || n > max) bad(name, `a whole number from ${min} to ${max}`);
  return n;
}

/** Throws CONFIG.INVALID naming the variable and what it must be, never its value. */
export function bad(name: string, expected: string): never {
  throw new OpsError('CONFIG.INVALID', `${name} must be ${expected}`, { key: name, expected });
}
