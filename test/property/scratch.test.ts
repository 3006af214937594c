import { it } from 'vitest';
import { authorize, parsePolicy } from '../../src/core/authz.js';
import { parseCommand } from '../../src/core/commands.js';

function tryIt(label: string, f: () => unknown) {
  try { console.log(label, 'OK', JSON.stringify(f())); } catch (e) { console.log(label, 'THROW', (e as Error).constructor.name, (e as any).code, (e as Error).message); }
}
it('scratch', () => {
  tryIt('constructor', () => parseCommand('constructor x'));
  tryIt('__proto__', () => parseCommand('__proto__ x'));
  tryIt('notice ctor', () => parseCommand(`notify disable ${'a'.repeat(32)} constructor`));
  tryIt('policy toString', () => parsePolicy('roles: {r: {allow: [review.pending]}}\nbindings: [{role: toString, subjects: ["*"]}]'));
  tryIt('policy toString authz', () => authorize(parsePolicy('roles: {r: {allow: [review.pending]}}\nbindings: [{role: toString, subjects: ["*"]}]'), ['x'], parseCommand('pending https://flow.aliyun.com/pipelines/1/builds/2')));
  tryIt('policy proto', () => { const p = parsePolicy('roles: {__proto__: {allow: [review.pending]}}\nbindings: [{role: allow, subjects: ["*"]}]'); return [Object.keys(p.roles), Object.getPrototypeOf(p.roles) === Object.prototype, authorize(p, ['x'], parseCommand('pending https://flow.aliyun.com/pipelines/1/builds/2'))]; });
  tryIt('policy proto2', () => { const p = parsePolicy('roles: {__proto__: {allow: [review.pending], scope: {yunxiao: {organizations: ["*"], pipelines: ["*"]}}}}\nbindings: [{role: __proto__, subjects: ["*"]}]'); return [Object.keys(p.roles), authorize(p, ['x'], parseCommand('pending yunxiao o 1 2'))]; });
});
