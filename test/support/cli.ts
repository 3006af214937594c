import { main } from '../../src/app/cli-main.js';

/** Runs the CLI in-process with a captured stdout/stderr. */
export async function runCli(argv: string[], env: Record<string, string>, osUser = 'alice') {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    { OPSGATE_LOG_LEVEL: 'silent', OPSGATE_STORE: 'memory:', ...env },
    {
      stdout: (t) => {
        stdout += `${t}\n`;
      },
      stderr: (t) => {
        stderr += `${t}\n`;
      },
      osUser,
    },
  );
  return { code, stdout, stderr };
}
