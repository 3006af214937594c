import fc from 'fast-check';
import { expect } from 'vitest';
import { type Command, commandSchema } from '../../src/core/grammar/commands.js';
import { OpsError } from '../../src/core/errors.js';
import type { RunRef } from '../../src/core/targets.js';

/** Fixed seed and bounded runs: every property run is the same run. */
export const SEED = 0x0b5a7e;
export const runs = (numRuns = 2000) => ({ seed: SEED, numRuns });

/** The documented ID formats (src/core/targets.ts). */
export const FORMS = {
  huawei: /^[A-Za-z0-9]{32}$/,
  numeric: /^[1-9][0-9]{0,18}$/,
  organization: /^[A-Za-z0-9_-]{1,64}$/,
  region: /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/,
  checkId: /^[A-Za-z0-9]{1,128}$/,
};
/** No ID that can reach a URL path may carry these. */
export const PATH_UNSAFE = /[/.%\s]/;

const hex = '0123456789abcdef'.split('');
export const huaweiId = fc.string({ unit: fc.constantFrom(...hex), minLength: 32, maxLength: 32 });
export const numericId = fc.bigInt({ min: 1n, max: 10n ** 19n - 1n }).map(String);
export const orgId = fc.stringMatching(FORMS.organization);

/** Pieces that try to escape a URL path, smuggle a separator or confuse the tokenizer. */
export const NASTY = [
  ...['/', '.', '..', '../', '..%2F', '%2F', '%2f', '%2e%2e', '%2E%2E%2F', '%00', '%0A', '%20', '\\', '..\\'],
  ...[' ', '\t', '\n', '\r', '\u00a0', '\u200b', '\u3000', '\u2028', '\ufeff'],
  ...['é', '𝟘', '０', 'İ', 'ß', '\ud800', '"', "'", '\u201c', '\u201d', '\u2018', '\u300c', '<', '>', '|'],
  ...['?', '#', '@', ':', ';', '=', '&', '$', '*', '~', '-', '_', '--', '--step', 'constructor', '__proto__'],
];
export const nasty = fc.constantFrom(...NASTY);
export const longWord = fc
  .tuple(fc.integer({ min: 33, max: 4100 }), fc.constantFrom('a', '9', '/', '.', 'é', '%2F'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** A valid ID, or the same ID mutated: a nasty piece inserted or substituted, truncated, doubled, or replaced. */
export function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const at = (v: string, i: number) => i % (v.length + 1);
  return fc.oneof(
    { arbitrary: valid, weight: 4 },
    fc.tuple(valid, fc.nat(), nasty).map(([v, i, n]) => v.slice(0, at(v, i)) + n + v.slice(at(v, i))),
    fc.tuple(valid, fc.nat(), nasty).map(([v, i, n]) => v.slice(0, at(v, i)) + n + v.slice(at(v, i) + 1)),
    fc.tuple(valid, fc.nat()).map(([v, i]) => v.slice(0, at(v, i))),
    valid.map((v) => v + v),
    fc.array(nasty, { minLength: 1, maxLength: 4 }).map((a) => a.join('')),
    fc.string({ unit: 'binary', maxLength: 40 }),
    longWord,
  );
}

const segment = fc.oneof(nasty, fc.webSegment(), mutated(huaweiId), mutated(numericId), fc.string({ maxLength: 8 }));
const around = fc.array(segment, { maxLength: 2 });
const scheme = fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'https:/', '');
const huaweiHost = fc.constantFrom(
  'devcloud.cn-north-4.huaweicloud.com',
  'devcloud.ap-southeast-1.huaweicloud.com',
  'devcloud.x.huaweicloud.com',
  'devcloud.cn-north-4.huaweicloud.com.evil.example',
  'user:pw@devcloud.cn-north-4.huaweicloud.com',
  'evil.example',
);
const flowHost = fc.constantFrom(
  'flow.aliyun.com',
  'devops.aliyun.com',
  'FLOW.aliyun.com',
  'flow.aliyun.com:8443',
  'flow.aliyun.com@evil.example',
  'evil.example@flow.aliyun.com',
  'evil.example',
);
const huaweiPath = fc
  .tuple(around, mutated(huaweiId), mutated(huaweiId), mutated(huaweiId), around)
  .map(([pre, p, pl, r, post]) => [...pre, 'cicd', 'project', p, 'pipeline', 'detail', pl, r, ...post].join('/'));
const flowPath = fc
  .tuple(around, fc.option(mutated(orgId)), mutated(numericId), fc.constantFrom('builds', 'runs', 'x'), around)
  .chain(([pre, org, pl, kind, post]) =>
    mutated(numericId).map((r) =>
      [...pre, ...(org === null ? [] : ['organization', org]), 'pipelines', pl, kind, r, ...post].join('/'),
    ),
  );
/** encodeURIComponent, with lone surrogates (which it refuses) replaced first. */
const encode = (s: string) =>
  encodeURIComponent(Array.from(s, (c) => (c.length === 1 && c >= '\ud800' && c <= '\udfff' ? '\ufffd' : c)).join(''));
const query = fc.oneof(
  fc.constantFrom('', '?v=1', '#frag', '?v=1#x', '?organizationId=', '?organizationId=a&organizationId=b'),
  mutated(orgId).map((o) => `?organizationId=${o}`),
  mutated(orgId).map((o) => `?organizationId=${encode(o)}`),
);
/** Run URLs near the two console forms: right and wrong hosts, injected segments, encoded separators. */
export const runUrlText = fc
  .tuple(
    scheme,
    fc.oneof(
      huaweiHost.map((h) => [h, 'hw'] as const),
      flowHost.map((h) => [h, 'flow'] as const),
    ),
  )
  .chain(([s, [host, kind]]) =>
    fc.tuple(kind === 'hw' ? huaweiPath : flowPath, query).map(([path, q]) => `${s}${host}/${path}${q}`),
  )
  .chain((url) => fc.constantFrom(url, `<${url}>`, `<${url}|the run>`, ` ${url} `));

/** `huawei P PL R [JR SR]` / `yunxiao ORG PL R [JOB]` with mutated IDs. */
export const idsTarget = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('huawei', 'codearts', 'HUAWEI'),
      mutated(huaweiId),
      mutated(huaweiId),
      mutated(huaweiId),
      fc.option(fc.tuple(mutated(huaweiId), mutated(huaweiId))),
    )
    .map(([c, p, pl, r, js]) => [c, p, pl, r, ...(js ?? [])].join(' ')),
  fc
    .tuple(
      fc.constantFrom('yunxiao', 'aliyun'),
      mutated(orgId),
      mutated(numericId),
      mutated(numericId),
      fc.option(mutated(numericId)),
    )
    .map(([c, o, pl, r, j]) => [c, o, pl, r, ...(j === null ? [] : [j])].join(' ')),
);

const restWord = fc.oneof(
  fc.constantFrom('--step', '--step=Release gate', '--step=', '--param-config', '{"a":1}', '--', '--nope', '-x'),
  fc.constantFrom('"quoted words"', "'single'", '"unclosed', "don't", '\u201ccurly\u201d', '<https://x.example|x>'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  longWord,
);
const rest = fc.array(restWord, { maxLength: 4 });
const verb = (words: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...words), fc.boolean(), fc.boolean())
    .map(([v, slash, upper]) => (slash ? '/' : '') + (upper ? v.toUpperCase() : v));
const noticeType = fc.constantFrom('message', 'email', 'mail', 'DING_TALK', 'dingtalk', 'wecom', 'feishu', 'pigeon');
const events = fc
  .array(fc.constantFrom('buildJobSuccess', 'buildJobFail', '1bad', '', ' ', 'a'.repeat(70), 'x-y'), { maxLength: 4 })
  .map((a) => a.join(','));

const reviewCommand = fc
  .tuple(
    verb(['reject', 'approve', 'pending', 'watch', 'refuse', 'pass', 'list', 'status']),
    fc.oneof(runUrlText, idsTarget),
    rest,
  )
  .map(([v, t, r]) => [v, t, ...r].join(' '));
const notifyCommand = fc.oneof(
  fc.tuple(mutated(huaweiId), noticeType, rest).map(([j, n, r]) => ['notify disable', j, n, ...r].join(' ')),
  fc
    .tuple(mutated(huaweiId), noticeType, events, fc.option(fc.constantFrom('{"a":1}', '{nope', '\'{"x": [1]}\'')))
    .map(([j, n, e, p]) => ['notify update', j, n, e, ...(p === null ? [] : ['--param-config', p])].join(' ')),
  fc
    .tuple(fc.constantFrom('project', 'tenant', 'PROJECT', 'org'), mutated(huaweiId), rest)
    .map(([s, id, r]) => ['notify show', s, id, ...r].join(' ')),
  fc.tuple(fc.constantFrom('', 'shw', 'DISABLE', 'constructor'), rest).map(([s, r]) => ['notify', s, ...r].join(' ')),
);
/** Near-valid command lines for every verb (and a few non-verbs). */
export const commandText = fc.oneof(
  { arbitrary: reviewCommand, weight: 4 },
  { arbitrary: notifyCommand, weight: 3 },
  fc
    .tuple(verb(['help', '?', 'rejcet', 'constructor', '__proto__', 'tostring']), rest)
    .map(([v, r]) => [v, ...r].join(' ')),
);

/** Anything thrown must be a coded INPUT.* OpsError with a message. */
export function expectInputError(err: unknown): void {
  if (!(err instanceof OpsError)) throw new Error(`not an OpsError: ${String(err)}`);
  expect(err.code).toMatch(/^INPUT\./);
  expect(err.message.length).toBeGreaterThan(0);
}

/** Every ID of a ref matches its documented form, and none can change a URL path. */
export function expectSafeRef(ref: RunRef): void {
  const ids = Object.entries(ref).filter(([key]) => key !== 'cloud');
  for (const [key, value] of ids) {
    expect(typeof value, key).toBe('string');
    expect(PATH_UNSAFE.test(value as string), `${key}=${JSON.stringify(value)}`).toBe(false);
  }
  if (ref.cloud === 'huawei') {
    const keys = ['cloud', 'region', 'projectId', 'pipelineId', 'runId', 'jobRunId', 'stepRunId'];
    expect(Object.keys(ref).every((k) => keys.includes(k))).toBe(true);
    const { region, ...rest } = ref;
    for (const [key, value] of Object.entries(rest)) if (key !== 'cloud') expect(value, key).toMatch(FORMS.huawei);
    if (region !== undefined) expect(region).toMatch(FORMS.region);
    return;
  }
  expect(Object.keys(ref).every((k) => ['cloud', 'organizationId', 'pipelineId', 'runId', 'jobId'].includes(k))).toBe(
    true,
  );
  for (const id of [ref.pipelineId, ref.runId, ...(ref.jobId === undefined ? [] : [ref.jobId])]) {
    expect(id).toMatch(FORMS.numeric);
  }
  if (ref.organizationId !== undefined) expect(ref.organizationId).toMatch(FORMS.organization);
}

/** A parsed command passes the schema and carries only well-formed IDs. */
export function expectValidCommand(command: Command): void {
  expect(commandSchema.safeParse(command).success).toBe(true);
  if ('target' in command) expectSafeRef(command.target);
  if ('jobId' in command) expect(command.jobId).toMatch(FORMS.huawei);
  if (command.op === 'notice.show') expect(command.id).toMatch(FORMS.checkId);
}
