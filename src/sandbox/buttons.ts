import type { ShownButton } from './box.js';

export interface ButtonSpec {
  label: string;
  tone?: 'primary' | 'danger';
  /** What pressing it does (a signed Slack click, a DingTalk card callback). */
  press(): Promise<void>;
}

/**
 * The buttons on screen, numbered for the whole session (`[1] Approve  [2] Reject`, then 3, 4, …). A message's
 * buttons belong to it: when the message is rewritten they are retired and the new ones get new numbers.
 * @example
 * const buttons = createButtons();
 * const shown = buttons.add('slack C1 17000.0001', [{ label: 'Approve', press: () => click('approve') }]);
 * await buttons.get(1)?.press();
 */
export function createButtons() {
  let next = 1;
  const live = new Map<number, { owner: string; spec: ButtonSpec }>();
  return {
    add(owner: string, specs: ButtonSpec[]): ShownButton[] {
      return specs.map((spec) => {
        const n = next++;
        live.set(n, { owner, spec });
        return { n, label: spec.label, ...(spec.tone ? { tone: spec.tone } : {}) };
      });
    },
    /** The message was rewritten or is gone: its buttons can no longer be pressed. */
    retire(owner: string): void {
      for (const [n, button] of live) if (button.owner === owner) live.delete(n);
    },
    get(n: number): ButtonSpec | undefined {
      return live.get(n)?.spec;
    },
    /** Whether `n` was ever handed out (to tell "gone" from "never existed"). */
    issued(n: number): boolean {
      return n >= 1 && n < next;
    },
  };
}

export type Buttons = ReturnType<typeof createButtons>;
