import { OpsError } from '../../core/errors.js';

/** Removes `name <value>` from args and returns the value; a flag without a value is INPUT.MISSING_ARGUMENT. */
export function takeFlag(args: string[], name: string, usage: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) {
    throw new OpsError('INPUT.MISSING_ARGUMENT', `${name} needs a value`, { field: name, usage });
  }
  args.splice(i, 2);
  return value;
}

export function takeSwitch(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

export function wantsHelp(args: readonly string[]): boolean {
  return args[0] === '--help' || args[0] === '-h';
}
