import type { CliIo } from '../adapters/cli/run-cli.js';
import type { Env } from './env.js';

/** `opsgate audit`: exports the audit log from the configured store (implemented with the store). */
export async function auditCommand(_args: string[], _env: Env, io: CliIo): Promise<number> {
  io.stderr('audit export needs OPSGATE_STORE (see README)');
  return 3;
}
