#!/usr/bin/env node
import { userInfo } from 'node:os';
import { type CliIo, reportError } from '../adapters/cli/run-cli.js';
import { scrub } from '../core/scrub.js';
import { main } from './cli-main.js';
import { guardStream } from './stdio-guard.js';

// The `opsgate` binary: the only place the CLI touches process.argv and process.env.
// `opsgate audit | head` closes stdout early: the guard stops writing there instead of failing in a loop.
const stdout = guardStream(process.stdout);
const stderr = guardStream(process.stderr);
const io: CliIo = {
  stdout: (text) => stdout.write(`${text}\n`),
  stderr: (text) => stderr.write(`${text}\n`),
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
