import type { webApi } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import { createHome } from '../../../../src/adapters/slack/home.js';
import type { ApprovalService } from '../../../../src/core/approvals/service.js';
import { silentLogger } from '../../../../src/core/ports.js';

function setUp() {
  const published: string[] = [];
  const client = {
    views: {
      publish: vi.fn(async (args: { user_id: string }) => {
        published.push(args.user_id);
        return { ok: true };
      }),
    },
  } as unknown as webApi.WebClient;
  const approvals = { inbox: vi.fn(async () => []) } as unknown as ApprovalService;
  const home = createHome({
    client,
    token: 'xoxb-test',
    approvals,
    locale: 'en',
    timezone: 'UTC',
    now: Date.now,
    logger: silentLogger,
    debounceMs: 5,
    maxViewers: 50,
    refreshLimit: 30,
  });
  return { home, published, approvals };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('App Home refreshes (bounded for views.publish Tier 4)', () => {
  it('publishes once per opening, and a burst of changes makes one refresh of the most recent viewers', async () => {
    const { home, published } = setUp();
    for (let i = 0; i < 60; i++) await home.opened(`U${String(i).padStart(4, '0')}`);
    expect(published).toHaveLength(60);
    published.length = 0;
    home.refresh();
    home.refresh();
    home.refresh();
    await settle();
    expect(published).toHaveLength(30);
    expect(published.at(-1)).toBe('U0059');
    expect(published).not.toContain('U0009');
    home.stop();
  });

  it('asks the inbox for the person alone: a channel never grants anything on the Home tab', async () => {
    const { home, approvals } = setUp();
    await home.opened('UALICE');
    expect(approvals.inbox).toHaveBeenCalledWith({ subject: 'slack:UALICE', context: [] }, 41);
  });
});
