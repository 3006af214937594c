import { createRequire } from 'node:module';
import { DOCTOR_USAGE, doctorCommand } from '../adapters/cli/doctor.js';
import { type CliHost, runCli, type Subcommand } from '../adapters/cli/main.js';
import type { CliIo } from '../adapters/cli/run-cli.js';
import type { Logger } from '../core/ports.js';
import { scrub } from '../core/scrub.js';
import type { Store } from '../core/store-ports.js';
import { openStore } from '../store/open-store.js';
import { cloudStates, configSummary } from './config-summary.js';
import { loadSettings, type Settings } from './config-load.js';
import type { Env } from './env.js';
import { createTextLogger } from './logger.js';
import { wire } from './wire.js';

/** The package version, for `opsgate --version`: package.json above dist/app, src/app or dist-dev/src/app. */
export const VERSION = packageVersion();

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(path) as { name?: string; version?: string };
      if (pkg.name === 'opsgate' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/**
 * `opsgate` command line: composes the CLI adapter (src/adapters/cli/) with the configuration, loaded once and only
 * when a command needs it. Logs go to stderr as text at warn level unless OPSGATE_LOG_LEVEL says otherwise.
 */
export async function main(
  argv: string[],
  env: Env,
  rawIo: CliIo,
  extra: Record<string, Subcommand> = {},
): Promise<number> {
  // Every line the CLI prints passes the scrubber: no configured secret or credential-shaped value is shown.
  const io: CliIo = {
    ...rawIo,
    stdout: (text) => rawIo.stdout(scrub(text)),
    stderr: (text) => rawIo.stderr(scrub(text)),
  };
  let settings: Settings | undefined;
  const load = () => (settings ??= loadSettings(env));
  let logger: Logger | undefined;
  const log = () => (logger ??= createTextLogger(load().server.logLevel ?? 'warn', io.stderr));
  const host: CliHost = {
    version: VERSION,
    open: async ({ store: withStore }) => {
      const { app, server } = load();
      // exec records to the same audit log, approvals and locks as the bot (OPSGATE_STORE).
      const store: Store | undefined = withStore ? await openStore(server.store, { logger: log() }) : undefined;
      try {
        const wired = wire(app, { logger: log(), store, audit: store?.audit });
        return {
          core: wired.core,
          locale: wired.config.locale,
          policy: wired.policy,
          close: async () => {
            await wired.close();
            await store?.close();
          },
        };
      } catch (err) {
        await store?.close();
        throw err;
      }
    },
    openAudit: async () => {
      const store = await openStore(load().server.store, { logger: log(), mustExist: true });
      return { list: (options) => store.audit.list(options), close: () => store.close() };
    },
    checkConfig: async () => {
      const loaded = load();
      const wired = wire(loaded.app, { logger: log() });
      await wired.close();
      return configSummary(loaded, wired.policy);
    },
  };
  const doctor: Subcommand = {
    usage: DOCTOR_USAGE,
    run: async (args, out) => {
      const loaded = load();
      const wired = wire(loaded.app, { logger: log() });
      try {
        return await doctorCommand({ clouds: cloudStates(loaded.app), providers: wired.providers }, args, out);
      } finally {
        await wired.close();
      }
    },
  };
  return runCli(argv, io, host, { doctor, ...extra });
}
