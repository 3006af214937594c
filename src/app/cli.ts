#!/usr/bin/env node
import { userInfo } from 'node:os';
import { type CliIo, reportError } from '../adapters/cli/run-cli.js';
import { main } from './cli-main.js';

// The `opsgate` binary: the only place the CLI touches process.argv, process.env and the standard streams.
// `opsgate audit | head` closes the pipe early: that is the reader saying "enough", not an error to print.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
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
    process.exitCode = reportError(err, io);
  },
);

function safeUser(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9._-]/g, '') || 'unknown';
  } catch {
    return 'unknown';
  }
}
