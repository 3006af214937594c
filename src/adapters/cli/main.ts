import { AUDIT_USAGE, type AuditSource, auditCommand } from './audit.js';
import { CHECK_CONFIG_USAGE, type ConfigSummary, checkConfigCommand } from './check-config.js';
import { wantsHelp } from './flags.js';
import type { CliIo } from './io.js';
import { type CliApp, EXEC_USAGE, EXPLAIN_USAGE, execCommand, explainCommand, reportError } from './run-cli.js';

/** What the subcommands need from the app layer (src/app/cli-main.ts): configuration is loaded only when used. */
export interface CliHost {
  version: string;
  /** The validated configuration, wired; `store` opens OPSGATE_STORE too (exec records to the bot's audit log). */
  open(options: { store: boolean }): Promise<CliApp>;
  /** The configured store's audit log; STORE.NOT_FOUND when the store does not exist. */
  openAudit(): Promise<AuditSource>;
  /** Loads and checks everything the start checks (variables, store, policy) and says what is enabled. */
  checkConfig(): Promise<ConfigSummary>;
}

/** Subcommands another tool adds (e.g. `doctor`) plug in here with their usage line. */
export interface Subcommand {
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const USAGES: Record<string, string> = {
  exec: EXEC_USAGE,
  'check-config': CHECK_CONFIG_USAGE,
  policy: EXPLAIN_USAGE,
  audit: AUDIT_USAGE,
};

export function cliUsage(extra: Record<string, Subcommand> = {}): string {
  const lines = [...Object.values(USAGES), ...Object.values(extra).map((s) => s.usage)];
  return ['usage:', ...lines.map((l) => `  ${l}`), '  opsgate --version | --help | <command> --help'].join('\n');
}

/**
 * `opsgate <command>`: --help and --version need no configuration; every other command loads it once through the
 * host. Outcomes go to stdout; errors and warnings to stderr as text.
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  host: CliHost,
  extra: Record<string, Subcommand> = {},
): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    (sub === undefined ? io.stderr : io.stdout)(cliUsage(extra));
    return sub === undefined ? 2 : 0;
  }
  if (sub === '--version' || sub === '-v') {
    io.stdout(host.version);
    return 0;
  }
  const usage = USAGES[sub] ?? extra[sub]?.usage;
  if (usage === undefined) {
    io.stderr(`unknown command "${sub.slice(0, 40)}"\n${cliUsage(extra)}`);
    return 2;
  }
  if (wantsHelp(rest) || (sub === 'policy' && wantsHelp(rest.slice(1)))) {
    io.stdout(`usage: ${usage}`);
    return 0;
  }
  let app: CliApp | undefined;
  try {
    switch (sub) {
      case 'audit':
        return await auditCommand(rest, io, () => host.openAudit());
      case 'check-config':
        return checkConfigCommand(await host.checkConfig(), io);
      case 'exec':
        app = await host.open({ store: true });
        return await execCommand(app, rest, io);
      case 'policy':
        if (rest[0] !== 'explain') {
          io.stderr(`usage: ${usage}`);
          return 2;
        }
        app = await host.open({ store: false });
        return explainCommand(app, rest.slice(1), io);
      default:
        return await extra[sub]!.run(rest, io);
    }
  } catch (err) {
    return reportError(err, io, app?.locale);
  } finally {
    await app?.close();
  }
}
