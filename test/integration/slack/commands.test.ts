import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../../../src/fakes/slack-api.js';
import { ALICE, MALLORY, OTHER, type SlackHarness, startSlackHarness } from '../../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

const answer = (id: string) => h.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === id);
const textOf = (call: FakeSlackCall) => JSON.stringify(call.body);

describe('/ops over the HTTP receiver', () => {
  it('acks at once with an empty 200, then answers help ephemerally', async () => {
    const res = await h.command('help');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toContain('opsgate: approve or reject');
  });

  it('answers an unknown command with the error and the help, not silence', async () => {
    const res = await h.command('frobnicate now');
    expect(res.status).toBe(200);
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toContain('I don\'t know "frobnicate"');
    // The fallback text is mrkdwn-escaped (Slack shows `&lt;` as `<`).
    expect(String(reply.body.text)).toContain('reject &lt;run-url');
  });

  it('rejects a CodeArts review and shows the decision in the channel', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const before = h.decisions().length;
    const res = await h.command(`reject ${run.url} smoke tests failed`);
    expect(res.status).toBe(200);
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('in_channel');
    expect(String(reply.body.text)).toContain('Rejected "Release approval"');
    expect(String(reply.body.text)).toContain('Reason: smoke tests failed');
    expect(textOf(reply)).toContain(`<@${ALICE}>`);
    expect(
      h
        .decisions()
        .slice(before)
        .map((c) => c.action),
    ).toEqual(['refuse']);
    expect(h.cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('FAILED');
  });

  it('approves a Yunxiao review and shows it in the channel', async () => {
    const run = h.cloud.yunxiao.addRun({ jobs: ['Manual check'] });
    const res = await h.command(`approve ${run.url}`);
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('in_channel');
    expect(String(reply.body.text)).toContain('Approved "Manual check"');
    expect(h.cloud.yunxiao.job(run.runId, run.jobs[0]!.jobId).status).toBe('SUCCESS');
  });

  it('denies a person the policy does not name, privately, with no cloud call', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const before = h.decisions().length;
    const res = await h.command(`reject ${run.url} nope`, { user: MALLORY, channel: OTHER });
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toContain('You are not allowed to review.reject');
    expect(String(reply.body.text)).toContain(`slack:${MALLORY}`);
    expect(h.decisions().length).toBe(before);
  });

  it('lets the channel subject grant what the person lacks', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const res = await h.command(`reject ${run.url} channel says no`, { user: MALLORY });
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('in_channel');
    expect(h.cloud.huawei.review(run.runId, run.reviews[0]!.stepRunId).status).toBe('FAILED');
  });

  it('makes one cloud call for a command Slack delivers twice', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    const before = h.decisions().length;
    const first = await h.command(`reject ${run.url} duplicate delivery`);
    const retry = await h.command('', {
      body: first.body,
      sign: { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
    });
    expect(retry.status).toBe(200);
    await answer(first.responseUrlId);
    await h.waitForLog('slack command redelivery ignored');
    expect(h.decisions().slice(before)).toHaveLength(1);
    expect(
      h.slack.calls.filter((c) => c.method === 'response_url' && c.responseUrlId === first.responseUrlId),
    ).toHaveLength(1);
  });

  it('renders a cloud error for people, privately', async () => {
    const run = h.cloud.huawei.addRun({ reviews: ['Release approval'] });
    h.cloud.inject({
      match: '/refuse',
      kind: 'status',
      status: 403,
      body: { error_code: 'DEVPIPE.00011105', error_msg: 'The user has no permission to operate the pipeline' },
    });
    const res = await h.command(`reject ${run.url} cloud says no`);
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toContain('The cloud says opsgate may not do that (DEVPIPE.00011105');
    expect(String(reply.body.text)).not.toContain('{');
  });

  it('explains a malformed target with the accepted forms', async () => {
    const res = await h.command('pending https://example.com/not/a/run');
    const reply = await answer(res.responseUrlId);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toContain('That is not a pipeline run I can use.');
  });

  it('never logs the bot token, the signing secret or a response_url', () => {
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain(h.slack.botToken);
    expect(logged).not.toContain('fake-signing-secret');
    expect(logged).not.toContain('/response_url/');
  });
});

describe('/ops in Simplified Chinese', () => {
  let zh: SlackHarness;
  beforeAll(async () => {
    zh = await startSlackHarness({ locale: 'zh-CN' });
  });
  afterAll(() => zh.close());

  it('answers in the configured locale', async () => {
    const res = await zh.command('frobnicate');
    const reply = await zh.slack.waitFor((c) => c.method === 'response_url' && c.responseUrlId === res.responseUrlId);
    expect(String(reply.body.text)).toContain('不认识的命令“frobnicate”');
    expect(String(reply.body.text)).toContain('opsgate：处理流水线人工审核');
  });
});
