#!/usr/bin/env node
import { runSandbox } from '../sandbox/run-sandbox.js';

// `npm run sandbox`: the real bot against fakes, with a terminal chat in front. Reads process.env and handles signals.
let stop: (() => void) | undefined;
let stopping = false;
const onSignal = () => {
  // A signal while stopping, or before the chat is up, means "now".
  if (stopping || !stop) process.exit(1);
  stopping = true;
  stop();
};
// Ctrl-C in the chat arrives through readline; these are signals from elsewhere (kill, piped input).
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runSandbox({
  input: process.stdin,
  output: process.stdout,
  errors: process.stderr,
  env: process.env,
  onReady: (end) => {
    stop = end;
  },
  onStopping: () => {
    stopping = true;
  },
});
process.exit(code);
