#!/usr/bin/env node
import { userInfo } from 'node:os';
import { type CliIo, reportError } from '../adapters/cli/run-cli.js';
import { scrub } from '../core/scrub.js';
import { main } from './cli-main.js';

// The `opsgate` binary: the only place the CLI touches process.argv and process.env.
const io: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  osUser: safeUser(),
};
main(process.argv.slice(2), process.env, io).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportError(err, { ...io, stderr: (text) => io.stderr(scrub(text)) });
  },
);

function safeUser(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9._-]/g, '') || 'unknown';
  } catch {
    return 'unknown';
  }
}
