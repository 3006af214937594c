import { afterEach, describe, expect, it } from 'vitest';
import { createAccessTokens } from '../../../../src/adapters/dingtalk/access-token.js';
import { parseDingTalkConfig } from '../../../../src/adapters/dingtalk/config.js';
import { commandText, parseCardClick, parseRobotMessage } from '../../../../src/adapters/dingtalk/frames.js';
import { approvalIdOf, outTrackIdFor, spaceOf } from '../../../../src/adapters/dingtalk/poster.js';
import { createReasonWaits } from '../../../../src/adapters/dingtalk/reason-waits.js';
import { OpsError } from '../../../../src/core/errors.js';
import type { Approval } from '../../../../src/core/store-ports.js';
import { type FakeDingTalkOpenApi, startFakeDingTalkOpenApi } from '../../../../src/fakes/dingtalk-openapi.js';
import { createHttpClient, type HttpClient } from '../../../../src/net/http-client.js';

describe('DingTalk frame parsing', () => {
  it('reads a card click whose content is JSON inside JSON, ignoring what it does not know', () => {
    const content = JSON.stringify({
      cardPrivateData: { actionIds: ['reject'], params: { action: 'reject', reject_reason: ' late ', x: 1 } },
    });
    const space = { spaceType: 'IM_GROUP', spaceId: 'cid1' };
    expect(parseCardClick(JSON.stringify({ outTrackId: 'opsgate-a1', userId: 'u1', content, ...space }))).toEqual({
      outTrackId: 'opsgate-a1',
      userId: 'u1',
      space: { type: 'IM_GROUP', id: 'cid1' },
      action: 'reject',
      reason: 'late',
    });
    const badContent = parseCardClick(JSON.stringify({ outTrackId: 'opsgate-a1', userId: 'u1', content: '{{' }));
    expect(badContent).toEqual({ outTrackId: 'opsgate-a1', userId: 'u1', space: { type: '', id: '' } });
    const postpone = JSON.stringify({ cardPrivateData: { params: { action: 'postpone' } } });
    expect(parseCardClick(JSON.stringify({ outTrackId: 'o', userId: 'u', content: postpone }))?.action).toBe(
      'postpone',
    );
    const odd = JSON.stringify({
      outTrackId: 'o',
      userId: 'u',
      content: JSON.stringify({ cardPrivateData: { params: { action: 'drop' } } }),
    });
    expect(parseCardClick(odd)?.action).toBeUndefined();
    expect(parseCardClick('not json')).toBeUndefined();
    expect(parseCardClick(JSON.stringify({ outTrackId: 5 }))).toBeUndefined();
  });

  it('strips the leading mention and space from robot text; other message types carry no command', () => {
    const message = parseRobotMessage(
      JSON.stringify({
        conversationId: 'cid1',
        msgId: 'm1',
        msgtype: 'text',
        text: { content: ' @opsgate  reject x ' },
      }),
    );
    expect(message && commandText(message)).toBe('reject x');
    const picture = parseRobotMessage(JSON.stringify({ conversationId: 'cid1', msgId: 'm2', msgtype: 'picture' }));
    expect(picture && commandText(picture)).toBe('');
    expect(parseRobotMessage(JSON.stringify({ msgId: 7 }))).toBeUndefined();
  });
});

describe('DingTalk card identifiers', () => {
  const approval = (id: string, messages: Approval['messages'] = []) => ({ id, messages }) as unknown as Approval;

  it('names the first card opsgate-<id>, later conversations with a suffix, and reads the id back', () => {
    const id = '3f1c2d4e-0000-4000-8000-00000000abcd';
    const first = outTrackIdFor(approval(id), 'cidA');
    expect(first).toBe(`opsgate-${id}`);
    const second = outTrackIdFor(approval(id, [{ platform: 'dingtalk', channel: 'cidA', messageId: first }]), 'cidB');
    expect(second).toMatch(new RegExp(`^opsgate-${id}_[0-9a-f]{8}$`));
    expect(approvalIdOf(first)).toBe(id);
    expect(approvalIdOf(second)).toBe(id);
    expect(approvalIdOf('opsgate-../x')).toBeUndefined();
    expect(approvalIdOf(42)).toBeUndefined();
    expect(() => outTrackIdFor(approval('a/b'), 'cidA')).toThrow(OpsError);
  });

  it('refuses channels that could change the card space', () => {
    expect(spaceOf('cidAbc+/=')).toEqual({ kind: 'group', conversationId: 'cidAbc+/=' });
    expect(spaceOf('robot:staff1')).toEqual({ kind: 'robot', userId: 'staff1' });
    expect(() => spaceOf('cidA;IM_GROUP.cidB')).toThrow(OpsError);
    expect(() => spaceOf('cid.A')).toThrow(OpsError);
    expect(() => spaceOf('robot:a b')).toThrow(OpsError);
  });
});

describe('DingTalk configuration', () => {
  it('is off without a client ID, names the missing variable, and fills defaults', () => {
    expect(parseDingTalkConfig(() => undefined)).toBeUndefined();
    const env: Record<string, string> = { DINGTALK_CLIENT_ID: 'dingabc', DINGTALK_CLIENT_SECRET: 's3cr3t-value' };
    expect(() => parseDingTalkConfig((n) => env[n])).toThrow(/DINGTALK_CARD_TEMPLATE_ID/);
    env.DINGTALK_CARD_TEMPLATE_ID = 'tpl.schema';
    expect(parseDingTalkConfig((n) => env[n])).toEqual({
      clientId: 'dingabc',
      clientSecret: 's3cr3t-value',
      robotCode: 'dingabc',
      cardTemplateId: 'tpl.schema',
      apiUrl: 'https://api.dingtalk.com',
      gatewayUrl: 'https://api.dingtalk.com/v1.0/gateway/connections/open',
    });
    env.DINGTALK_API_URL = 'ftp://x';
    let message = '';
    try {
      parseDingTalkConfig((n) => env[n]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('DINGTALK_API_URL');
    expect(message).not.toContain('s3cr3t');
  });
});

describe('reject-reason waits', () => {
  it('hands a wait out once and forgets it after its time', () => {
    let clock = 1_000;
    const waits = createReasonWaits(() => clock);
    waits.set('u1', {
      approvalId: 'a',
      outTrackId: 'opsgate-a',
      space: { type: 'IM_GROUP', id: 'cid' },
      expiresAt: 2_000,
    });
    expect(waits.take('u1')?.approvalId).toBe('a');
    expect(waits.take('u1')).toBeUndefined();
    waits.set('u1', {
      approvalId: 'a',
      outTrackId: 'opsgate-a',
      space: { type: 'IM_GROUP', id: 'cid' },
      expiresAt: 2_000,
    });
    clock = 2_000;
    expect(waits.take('u1')).toBeUndefined();
  });
});

describe('OpenAPI access token', () => {
  let openapi: FakeDingTalkOpenApi | undefined;
  let http: HttpClient | undefined;
  afterEach(async () => {
    await http?.close();
    await openapi?.close();
  });

  it('is fetched once for concurrent callers, cached, and refreshed before it expires', async () => {
    openapi = await startFakeDingTalkOpenApi({ tokenTtlSec: 7200 });
    http = createHttpClient({ retries: 0 });
    let clock = 0;
    const tokens = createAccessTokens({
      http,
      apiUrl: openapi.url,
      clientId: openapi.credentials.appKey,
      clientSecret: openapi.credentials.appSecret,
      now: () => clock,
      marginMs: 5 * 60_000,
    });
    const [a, b, c] = await Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(openapi.tokenRequests).toBe(1);
    clock = (7200 - 301) * 1000;
    expect(await tokens.get()).toBe(a);
    clock = (7200 - 299) * 1000;
    const fresh = await tokens.get();
    expect(fresh).not.toBe(a);
    expect(openapi.tokenRequests).toBe(2);
    tokens.invalidate(fresh);
    await tokens.get();
    expect(openapi.tokenRequests).toBe(3);
  });

  it('fails with a coded error that carries no secret when the app credentials are wrong', async () => {
    openapi = await startFakeDingTalkOpenApi();
    http = createHttpClient({ retries: 0 });
    const tokens = createAccessTokens({
      http,
      apiUrl: openapi.url,
      clientId: openapi.credentials.appKey,
      clientSecret: 'wrong-secret-value',
      now: Date.now,
    });
    const err = await tokens.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect(JSON.stringify((err as OpsError).toJSON())).not.toContain('wrong-secret-value');
  });
});
