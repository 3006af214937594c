import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateAnswer, processingAnswer } from '../../../../src/adapters/dingtalk/card-handler.js';
import { ACTION_GROUPS, cardParams, createNames } from '../../../../src/adapters/dingtalk/card-params.js';
import { CARD_CALLBACK_PARAMS } from '../../../../src/adapters/dingtalk/frames.js';
import type { Approval } from '../../../../src/core/store-ports.js';

/**
 * manifest/dingtalk/card-template.json is what people import into DingTalk's card platform. Its format follows
 * open-dingtalk/dingtalk-card-examples `examples/helloworld/helloworld.json`: `{editorData: "<JSON string>", type,
 * mode}`, editorData `{schemaVersion, schema:{componentsMap, componentsTree}, variableList, localList, …}`.
 */
const file = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../../manifest/dingtalk/card-template.json'), 'utf8'),
) as {
  editorData: string;
  type: string;
  mode: string;
};
type Node = { componentName: string; id: string; props: Record<string, unknown>; children?: Node[] };
type Variable = { name: string; private: boolean; type: string };
type Param = { type: string; name: string; value: string; variable: string };
type Button = {
  id: string;
  actionType: string;
  params: Param[];
  visible: { condition: { conditions: Array<{ variable: string }> } };
};
const editor = JSON.parse(file.editorData) as {
  schemaVersion: string;
  schema: { componentsMap: Array<{ componentName: string }>; componentsTree: Node[] };
  variableList: Variable[];
  localList: Variable[];
};
const nodes: Node[] = [];
const walk = (n: Node) => {
  nodes.push(n);
  for (const c of n.children ?? []) walk(c);
};
editor.schema.componentsTree.forEach(walk);
const variables = new Map(editor.variableList.map((v) => [v.name, v]));
const locals = new Set(editor.localList.map((v) => v.name));
const buttons = nodes.flatMap((n) => (n.componentName === 'ButtonBlock' ? (n.props.buttons as Button[]) : []));
const requests = buttons.filter((b) => b.actionType === 'request');

const base: Approval = {
  id: '7d0e8c52-1f7a-4a4e-9d37-3d4a8f1f0c11',
  ref: { cloud: 'huawei', region: 'cn-north-4', projectId: 'p1', pipelineId: 'pl1', runId: 'r1' } as Approval['ref'],
  review: { id: 's1', jobId: 'j1', name: 'Release approval', stage: 'Deploy' },
  status: 'open',
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
  expiresAt: 1_700_007_200_000,
  messages: [],
  approvers: [],
  version: 0,
};
const variants: Approval[] = [
  base,
  {
    ...base,
    runName: 'web-release',
    runNumber: 42,
    requester: 'dingtalk:alice',
    review: {
      ...base.review,
      kind: 'review',
      since: base.createdAt,
      settings: {
        approvers: ['u1', 'u2'],
        strategy: 'any',
        timeoutMinutes: 30,
        onTimeout: 'reject',
        approvedBy: ['u1'],
      },
    },
    evidence: {
      triggeredBy: 'alice',
      trigger: 'Manual',
      repository: 'web',
      branch: 'main',
      commitId: 'a1b2c3d4e5f6',
      commitMessage: 'Fix [login](https://evil.example)\nsecond line',
      startedAt: base.createdAt,
      url: 'https://devcloud.example/run/1',
    },
  },
  { ...base, review: { ...base.review, kind: 'stage-check', settings: { strategy: 'all', roles: ['ops'] } } },
  { ...base, review: { ...base.review, kind: 'delay', settings: { runsAt: base.createdAt + 3_600_000 } } },
  { ...base, status: 'approved', decision: { by: 'dingtalk:bob', at: base.createdAt, decision: 'approve' } },
  {
    ...base,
    status: 'rejected',
    decision: { by: 'dingtalk:bob', at: base.createdAt, decision: 'reject', reason: 'no' },
  },
  { ...base, status: 'expired' },
  { ...base, status: 'decided-elsewhere' },
];

describe('the DingTalk card template', () => {
  it('is in the card platform’s export format (helloworld.json)', () => {
    expect(file.type).toBe('standard');
    expect(file.mode).toBe('card');
    expect(editor.schemaVersion).toBe('2.0.0');
    expect(editor.schema.componentsTree[0]?.componentName).toBe('StdCard');
    const mapped = new Set(editor.schema.componentsMap.map((c) => c.componentName));
    for (const n of nodes) expect(mapped.has(n.componentName)).toBe(true);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
  });

  it('has every variable the bot sends, public and private as the bot sends them', () => {
    const names = createNames();
    const sent = new Set<string>();
    for (const approval of variants) {
      for (const locale of ['zh-CN', 'en'] as const) {
        for (const key of Object.keys(cardParams(approval, locale, 'Asia/Shanghai', names))) sent.add(key);
      }
    }
    const processing = processingAnswer('x') as {
      cardData: { cardParamMap: object };
      userPrivateData: { cardParamMap: object };
    };
    for (const key of Object.keys(processing.cardData.cardParamMap)) sent.add(key);
    for (const key of sent) expect(variables.get(key), key).toMatchObject({ private: false });
    const privates = [
      ...Object.keys(processing.userPrivateData.cardParamMap),
      ...Object.keys(
        (privateAnswer('x') as { userPrivateData: { cardParamMap: object } }).userPrivateData.cardParamMap,
      ),
    ];
    for (const key of privates) expect(variables.get(key), key).toMatchObject({ private: true });
    // Nothing in the template waits for a value the bot never sends.
    expect([...variables.keys()].sort()).toEqual([...new Set([...sent, ...privates])].sort());
  });

  it('binds every component to a variable that exists', () => {
    const text = JSON.stringify(editor.schema.componentsTree);
    for (const [, name] of text.matchAll(/\$\{(\w+)\}/g))
      expect(variables.has(name!) || locals.has(name!), name).toBe(true);
    for (const [, name] of text.matchAll(/"variable":"(\w+)"/g))
      expect(variables.has(name!) || locals.has(name!), name).toBe(true);
  });

  it('sends every callback param the bot reads, and every decision from some button', () => {
    const sentParams = new Set(requests.flatMap((b) => b.params.map((p) => p.name)));
    for (const param of Object.values(CARD_CALLBACK_PARAMS)) expect(sentParams.has(param), param).toBe(true);
    const actionOf = (b: Button) => b.params.find((p) => p.name === CARD_CALLBACK_PARAMS.action)?.value;
    expect(new Set(requests.map(actionOf))).toEqual(new Set(['approve', 'reject', 'postpone']));
    // The reason travels from the Input's local variable with every reject-type button.
    const input = nodes.find((n) => n.componentName === 'Input')!;
    const local = (input.props.localVarAction as { variable: string }).variable;
    expect(local).toBe(CARD_CALLBACK_PARAMS.reason);
    expect(locals.has(local)).toBe(true);
    for (const b of requests.filter((r) => actionOf(r) === 'reject')) {
      expect(b.params).toContainEqual(expect.objectContaining({ type: 'variable', variable: local, name: local }));
    }
  });

  it('shows each gate kind its own buttons, switched by the variable the bot turns on', () => {
    const words = (variable: string) =>
      requests
        .filter((b) => b.visible.condition.conditions.some((c) => c.variable === variable))
        .map((b) => (b as unknown as { text: { content: string } }).text.content);
    expect(words(ACTION_GROUPS.review)).toEqual(['同意', '拒绝']);
    expect(words(ACTION_GROUPS['stage-check'])).toEqual(['准入', '拒绝准入']);
    expect(words(ACTION_GROUPS.delay)).toEqual(['立即执行', '停止', '推迟 1 小时']);
    const names = createNames();
    const delay = cardParams(variants[3]!, 'zh-CN', 'Asia/Shanghai', names);
    expect(delay).toMatchObject({
      delay_actions: 'true',
      review_actions: 'false',
      stage_actions: 'false',
      actions_open: 'true',
    });
  });

  it('renders evidence, the gate rule in words and times with their zone, and degrades when fields are absent', () => {
    const names = createNames();
    const full = cardParams(variants[1]!, 'zh-CN', 'Asia/Shanghai', names);
    expect(full.summary).toContain('**web-release #42**');
    expect(full.summary).toContain('(https://devcloud.example/run/1)');
    expect(full.evidence).toContain('触发人：alice（Manual）');
    expect(full.evidence).toContain('web · main · `a1b2c3d4`');
    // A commit message cannot put a link on the card, and only its first line shows.
    expect(full.evidence).toContain('Fix \\[login\\](https://evil.example)');
    expect(full.evidence).not.toContain('second line');
    expect(full.gate).toContain('等待开始：UTC+8 06:13');
    expect(full.gate).toContain('规则：任意 1 人审批、超时 UTC+8 06:43 自动拒绝');
    expect(full.gate).toContain('可审批：u1、u2');
    const mapped = {
      ...variants[1]!,
      review: { ...variants[1]!.review, deciders: ['dingtalk:alice', 'dingtalk:bob'] },
    };
    names.remember('alice', 'Alice');
    expect(cardParams(mapped, 'zh-CN', 'Asia/Shanghai', names).gate).toContain('可审批：Alice、bob');
    const bare = cardParams(base, 'zh-CN', 'Asia/Shanghai', names);
    expect(bare.evidence).toBe('云服务未提供触发人和代码来源。');
    expect(bare.gate).toBe('等待开始：UTC+8 06:13');
    expect(bare.summary).not.toContain('#');
    expect(Object.values(bare).join('\n')).not.toMatch(/\{\w+\}|undefined/);
    expect(cardParams(base, 'en', 'UTC', names).gate).toBe('Waiting since: 22:13 (UTC)');
  });
});
