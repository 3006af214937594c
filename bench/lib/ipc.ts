import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the child's next IPC message that `match` accepts; rejects if the child exits first.
 * @example
 * const ready = await nextMessage(child, (m): m is Ready => m.type === 'ready', 'fake cloud child');
 */
export function nextMessage<T, M extends T>(
  child: ChildProcess,
  match: (msg: T) => msg is M,
  who = 'child process',
): Promise<M> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: T) => {
      if (!match(msg)) return;
      cleanup();
      resolve(msg);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${who} exited (${code}) before answering`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Asks a child to close (IPC `{ type: 'close' }`), waits for it to exit, and kills it after `graceMs`. */
export async function closeChild(child: ChildProcess, exited: Promise<void>, graceMs = 5_000): Promise<void> {
  if (child.exitCode === null && child.connected) child.send({ type: 'close' });
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Calls `read()` every `everyMs` until `check` accepts what it returned; rejects after timeoutMs with `what(last)`.
 * @example
 * await pollUntil(() => slack.snapshot(), (s) => s.approvals >= 100, (s) => `100 approvals (${s.approvals})`);
 */
export async function pollUntil<S>(
  read: () => Promise<S>,
  check: (s: S) => boolean,
  what: (s: S) => string,
  timeoutMs = 120_000,
  everyMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await read();
    if (check(s)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what(s)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
