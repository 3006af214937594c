import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

/**
 * `node dist-dev/src/app/sandbox.js` under a pseudo-terminal: util-linux `script` gives the child a real pty (raw-mode
 * readline, Ctrl-C and Ctrl-D as typed keys). Without `script`, stdin is a pipe (mode 'pipe') and Ctrl-C/Ctrl-D
 * become SIGINT and end-of-input.
 */
export interface SandboxProcess {
  mode: 'pty' | 'pipe';
  /** Everything printed so far, without ANSI escapes and carriage returns. */
  output(): string;
  /** Types a line and presses Enter. */
  type(line: string): void;
  ctrlC(): void;
  ctrlD(): void;
  /** Waits until the output after `from` matches; returns the match. Rejects after timeoutMs with the output. */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill(): void;
}

export function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function startSandboxProcess(options: { cwd: string; env: NodeJS.ProcessEnv }): SandboxProcess {
  const mode = hasScript() ? 'pty' : 'pipe';
  const child: ChildProcess =
    mode === 'pty'
      ? spawn('script', ['-qfec', 'node dist-dev/src/app/sandbox.js', '/dev/null'], {
          cwd: options.cwd,
          env: options.env,
          stdio: ['pipe', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, ['dist-dev/src/app/sandbox.js'], {
          cwd: options.cwd,
          env: options.env,
          stdio: ['pipe', 'pipe', 'pipe'],
        });
  let raw = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    raw += chunk;
  });
  child.stderr?.on('data', (chunk: string) => {
    raw += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output = () => stripVTControlCharacters(raw).replace(/\r/g, '');
  return {
    mode,
    output,
    type(line) {
      child.stdin?.write(`${line}${mode === 'pty' ? '\r' : '\n'}`);
    },
    ctrlC() {
      if (mode === 'pty') child.stdin?.write('\x03');
      else child.kill('SIGINT');
    },
    ctrlD() {
      if (mode === 'pty') child.stdin?.write('\x04');
      else child.stdin?.end();
    },
    async waitFor(pattern, from = 0, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = pattern.exec(output().slice(from));
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no ${pattern} within ${timeoutMs} ms; output after ${from}:\n${output().slice(from)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    exited,
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
