import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { writePolicy } from '../../support/cloud-env.js';

describe('opsgate exec whoami', () => {
  it('prints the CLI subject and what the policy grants it, without any cloud configured', async () => {
    const out = await runCli(['exec', 'whoami'], { OPSGATE_POLICY: writePolicy() }, 'nora');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('The policy sees you as cli:nora.');
    expect(out.stdout).toContain('✓ notice.update: role notifier via cli:nora');
    expect(out.stdout).toContain('✗ review.approve');
  });
});
