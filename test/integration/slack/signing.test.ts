import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../../../src/fakes/slack-signing.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack-harness.js';

describe('Slack request signing', () => {
  it("matches Slack's documented example", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});

describe('the Bolt HTTP receiver rejects unsigned and replayed requests', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(() => h.close());

  const helpBody = () =>
    new URLSearchParams({
      team_id: 'T0FAKE0001',
      channel_id: 'CREL',
      user_id: 'UALICE',
      command: '/ops',
      text: 'help',
      response_url: h.slack.responseUrl('signing'),
      trigger_id: '1.2.3',
    }).toString();

  it('answers 401 to a wrong signature and does nothing', async () => {
    const res = await h.post(helpBody(), {}, 'not-the-signing-secret');
    expect(res.status).toBe(401);
    const tampered = await h.post(helpBody(), { headers: { 'x-slack-signature': `v0=${'0'.repeat(64)}` } });
    expect(tampered.status).toBe(401);
  });

  it('answers 401 to a correctly signed request older than 5 minutes', async () => {
    const res = await h.post(helpBody(), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
  });

  it('answers 401 when the signature headers are missing', async () => {
    const res = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: helpBody(),
    });
    expect(res.status).toBe(401);
  });

  it('accepts a fresh, correctly signed request (the control)', async () => {
    const res = await h.post(helpBody());
    expect(res.status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === 'signing');
    // Only the control request got an answer: the rejected ones reached no listener.
    expect(h.slack.calls.filter((c) => c.responseUrlId === 'signing')).toHaveLength(1);
    expect(SIGNING_SECRET).not.toBe('');
  });
});
