import { createInterface } from 'node:readline';
import { type BoxInput, box } from './box.js';
import type { Style } from './style.js';

export interface TerminalIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface Terminal {
  style: Style;
  /** Columns to lay messages out in. */
  width(): number;
  /** Writes text above the prompt and redraws the prompt with what was typed so far. */
  print(text: string): void;
  /** Draws a message box. */
  show(input: BoxInput): void;
  /** A dim one-line remark from the sandbox itself. */
  note(text: string): void;
  /** The next line typed answers this question; undefined when it is cancelled (`:cancel`) or the chat ends. */
  ask(prompt: string): Promise<string | undefined>;
  /** Sets the prompt shown while no question waits. */
  setPrompt(prompt: string): void;
  /** Every line typed that no question took. */
  onLine(handler: (line: string) => void): void;
  /** Ends input (like Ctrl-D). */
  close(): void;
  /** Resolves when input ends: `:quit`, Ctrl-D, Ctrl-C. */
  closed: Promise<void>;
}

/**
 * The sandbox's chat line on node:readline. Messages that arrive while someone types are printed above the prompt,
 * and the half-typed line is drawn again under them.
 * @example
 * const terminal = createTerminal({ input: process.stdin, output: process.stdout }, style);
 * terminal.onLine((line) => terminal.note(`you typed ${line}`));
 * await terminal.closed;
 */
export function createTerminal(io: TerminalIo, style: Style): Terminal {
  const tty = Boolean(io.input.isTTY && io.output.isTTY);
  const rl = createInterface({ input: io.input, output: io.output, terminal: tty, historySize: 200 });
  const questions: Array<{ prompt: string; resolve: (answer: string | undefined) => void }> = [];
  let basePrompt = '> ';
  let handler: (line: string) => void = () => undefined;
  let isClosed = false;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  const currentPrompt = () => questions[0]?.prompt ?? basePrompt;
  function prompt(): void {
    if (isClosed) return;
    rl.setPrompt(currentPrompt());
    // Piped input: prompts would only interleave with the output; questions still say what they wait for.
    if (tty) rl.prompt(true);
    else if (questions[0]) io.output.write(`${questions[0].prompt}\n`);
  }

  function print(text: string): void {
    // Once the chat has ended, nothing more is drawn: what is left is shutting down.
    if (isClosed) return;
    if (!tty) {
      io.output.write(`${text}\n`);
      return;
    }
    // Carriage return and erase the line: the prompt and the half-typed text are drawn again below the message.
    io.output.write(`\r\x1b[2K${text}\n`);
    rl.prompt(true);
  }

  rl.on('line', (line) => {
    const question = questions[0];
    // A sandbox command (`:as bob`, `:help`) typed at a question is a command, not the answer: run it and ask again.
    if (question && line.trim().startsWith(':') && line.trim() !== ':cancel') {
      handler(line);
      prompt();
      return;
    }
    if (question) {
      questions.shift();
      question.resolve(line.trim() === ':cancel' ? undefined : line);
      prompt();
      return;
    }
    handler(line);
    prompt();
  });
  // Ctrl-C in a terminal arrives here, not as a signal (readline holds the terminal in raw mode).
  rl.on('SIGINT', () => rl.close());
  rl.on('close', () => {
    isClosed = true;
    for (const q of questions.splice(0)) q.resolve(undefined);
    markClosed();
  });

  const width = () => {
    const columns = io.output.columns ?? 0;
    return columns >= 40 ? Math.min(columns, 100) : 80;
  };

  return {
    style,
    width,
    print,
    show: (input) => print(box(style, width(), input)),
    note: (text) => print(style.dim(`· ${text}`)),
    ask(question) {
      if (isClosed) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        questions.push({ prompt: question, resolve });
        if (questions.length === 1) prompt();
      });
    },
    setPrompt(next) {
      basePrompt = next;
      if (!questions[0]) rl.setPrompt(next);
    },
    onLine(next) {
      handler = next;
      prompt();
    },
    close: () => rl.close(),
    closed,
  };
}
