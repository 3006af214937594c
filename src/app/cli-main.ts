import {
  CLI_USAGE,
  type CliIo,
  checkConfigCommand,
  execCommand,
  explainCommand,
  reportError,
} from '../adapters/cli/run-cli.js';
import { scrub } from '../core/scrub.js';
import type { Store } from '../core/store-ports.js';
import { openStore } from '../store/open-store.js';
import type { Env } from './env.js';
import { createLogger } from './logger.js';
import { loadServerConfig } from './server-config.js';
import { wire } from './wire.js';

/**
 * `opsgate` command line: the first adapter. Reads the environment once here (nothing below app/ does).
 * Logs go to stderr at warn level unless OPSGATE_LOG_LEVEL says otherwise; outcomes go to stdout.
 */
export async function main(argv: string[], env: Env, rawIo: CliIo): Promise<number> {
  // Every line the CLI prints passes the scrubber: no configured secret or credential-shaped value is shown.
  const io: CliIo = {
    ...rawIo,
    stdout: (text) => rawIo.stdout(scrub(text)),
    stderr: (text) => rawIo.stderr(scrub(text)),
  };
  const [sub, ...rest] = argv;
  const logger = createLogger({ level: env.OPSGATE_LOG_LEVEL ?? 'warn' });
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.stdout(CLI_USAGE);
    return sub === undefined ? 2 : 0;
  }
  let app: ReturnType<typeof wire> | undefined;
  let store: Store | undefined;
  try {
    if (sub === 'audit') {
      const { auditCommand } = await import('./audit-cli.js');
      return await auditCommand(rest, env, io);
    }
    // exec records to the same audit log as the bot (OPSGATE_STORE, default ./data/opsgate.db).
    store = sub === 'exec' ? await openStore(env.OPSGATE_STORE, { logger }) : undefined;
    app = wire(env, { logger, ...(store ? { store, audit: store.audit } : {}) });
    switch (sub) {
      case 'exec':
        return await execCommand(app, rest, io);
      case 'doctor': {
        const { doctorCommand } = await import('../adapters/cli/doctor.js');
        return await doctorCommand(app, rest, io);
      }
      case 'check-config': {
        const server = loadServerConfig(env);
        return checkConfigCommand(app, io, {
          store: server.store?.replace(/\/\/[^@/]*@/, '//***@') ?? 'sqlite:./data/opsgate.db (default)',
          port: server.port,
          webhook: server.webhookSecret !== undefined,
          ...(server.slack
            ? { slack: `enabled (${server.slack.appToken ? 'Socket Mode' : 'HTTP, POST /slack/events'})` }
            : {}),
          ...(server.dingtalk ? { dingtalk: `enabled (Stream mode, robot ${server.dingtalk.robotCode})` } : {}),
        });
      }
      case 'policy':
        if (rest[0] !== 'explain') {
          io.stderr(CLI_USAGE);
          return 2;
        }
        return explainCommand(app, rest.slice(1), io);
      default:
        io.stderr(`unknown command "${sub.slice(0, 40)}"\n${CLI_USAGE}`);
        return 2;
    }
  } catch (err) {
    return reportError(err, io, app?.config.locale);
  } finally {
    await app?.close();
    await store?.close();
  }
}
