/**
 * stdout/stderr whose reader went away (the parent of `npm start` exited, a log shipper restarted) fail every write
 * with EPIPE. Unhandled, the stream's 'error' becomes an uncaught exception, whose log line is written to the same
 * stream, which fails again: a loop of failed write(2) calls at 100% CPU. A guarded stream handles its first error
 * once, stops writing there for good, and never reports the failure on itself.
 * @example
 * const stderr = guardStream(process.stderr);
 * stderr.write('line\n'); // dropped silently once stderr is broken
 */
export interface GuardedStream {
  write(text: string): boolean;
  readonly broken: boolean;
}

const guarded = new WeakMap<NodeJS.WritableStream, GuardedStream>();

export function guardStream(stream: NodeJS.WritableStream): GuardedStream {
  const existing = guarded.get(stream);
  if (existing) return existing;
  let broken = false;
  const onError = () => {
    broken = true;
  };
  // Stays attached: later errors of a broken stream are absorbed here, not thrown as uncaught exceptions.
  stream.on('error', onError);
  const guard: GuardedStream = {
    get broken() {
      return broken;
    },
    write(text) {
      if (broken) return false;
      try {
        return stream.write(text);
      } catch {
        // Synchronous pipes (stdio on Linux) may throw instead of emitting.
        broken = true;
        return false;
      }
    },
  };
  guarded.set(stream, guard);
  return guard;
}

/** Whether an error is a stdio stream failing (so it is not worth logging on that stream). */
export function isBrokenPipe(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_STREAM_DESTROYED' || code === 'EBADF';
}
