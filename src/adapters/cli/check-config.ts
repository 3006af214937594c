import type { CliIo } from './io.js';

/** What check-config reports, composed by the app from the loaded settings (src/app/cli-main.ts). */
export interface ConfigSummary {
  /** `name: state` lines: locale, each cloud, policy, store, http, each chat. */
  lines: Array<[string, string]>;
  /** Configuration that works but probably is not what was meant ("nothing is enabled"). */
  warnings: string[];
}

export const CHECK_CONFIG_USAGE = 'opsgate check-config   (validates every variable and the policy file)';

/** `opsgate check-config`: the same validation as the start, then what is enabled; warnings go to stderr. */
export function checkConfigCommand(summary: ConfigSummary, io: CliIo): number {
  io.stdout(['configuration OK', ...summary.lines.map(([name, state]) => `  ${name}: ${state}`)].join('\n'));
  for (const warning of summary.warnings) io.stderr(`warning: ${warning}`);
  return 0;
}
