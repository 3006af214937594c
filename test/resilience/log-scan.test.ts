import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { KNOWN_SECRETS, SECRET_SHAPES } from '../support/known-secrets.js';
import { formatScan, scanLogDir } from '../support/log-scan.js';
import { testLogDir } from '../support/test-logger.js';

/** The scanner the global teardown runs over the whole run's logs (test/global-setup.ts). */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function logDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsgate-scan-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('the log scan', () => {
  it('counts every line of every file and finds nothing in clean logs', () => {
    const dir = logDir({
      'a-1.jsonl': '{"msg":"opsgate ready"}\n{"msg":"http response","status":200}\n',
      'bot-2.jsonl': 'not json at all\n',
      'odd name.txt': 'last line without newline',
    });
    const result = scanLogDir(dir);
    expect(result).toMatchObject({ files: 3, lines: 4, hits: [] });
    expect(formatScan(result)).toBe('log scan: 3 files, 4 lines, 0 secrets');
  });

  it('finds each known secret value, naming the file, line and secret but never printing the value', () => {
    for (const secret of KNOWN_SECRETS) {
      const dir = logDir({ 'x-1.jsonl': `{"msg":"ok"}\n{"msg":"oops ${secret.value}"}\n` });
      const result = scanLogDir(dir);
      expect(result.hits, secret.name).toContainEqual({ file: 'x-1.jsonl', line: 2, what: secret.name });
      expect(formatScan(result)).not.toContain(secret.value);
    }
  });

  it('finds secrets by shape: IAM tokens, signatures, session webhooks, response URLs, Slack tokens', () => {
    const samples = [
      `X-Auth-Token: MIIfake${'ab12'.repeat(16)}`,
      `Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${'0f'.repeat(32)}`,
      `x-slack-signature v0=${'1a'.repeat(32)}`,
      `x-opsgate-signature v1=${'2b'.repeat(32)}`,
      `hmac ${'3c'.repeat(32)}`,
      'http://127.0.0.1:1/robot/sendBySession?session=0123456789abcdef01234567',
      'http://127.0.0.1:1/response_url/abc-123',
      'token xoxb-1234-5678-abcdef',
      'token xapp-1-A0-abcdef',
    ];
    for (const sample of samples) {
      const result = scanLogDir(logDir({ 's-1.jsonl': `${sample}\n` }));
      expect(result.hits.length, sample).toBeGreaterThan(0);
    }
    expect(SECRET_SHAPES.length).toBeGreaterThanOrEqual(8);
  });

  it('looks for values recorded at run time, and does not scan the record itself as a log', () => {
    const token = 'c0ffee0123456789c0ffee0123456789';
    const dir = logDir({ 'dingtalk-1.secrets': `${token}\n`, 'dingtalk-1.jsonl': `{"token":"${token}"}\n` });
    const result = scanLogDir(dir);
    expect(result).toMatchObject({ files: 1, lines: 1, recorded: 1 });
    expect(result.hits).toEqual([{ file: 'dingtalk-1.jsonl', line: 1, what: 'value recorded at run time' }]);
  });

  it("scans the product logger's real output (pino redaction is the second line of defence, not the only one)", () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream,
    });
    logger.info({ token: 'pt-fake-yunxiao-token' }, 'redacted by field name');
    logger.info({ detail: 'pt-fake-yunxiao-token' }, 'scrubbed: another field name, a token shape');
    // The scanner still sees a raw line (third): the logger's scrubber, not the scan, kept the second one clean.
    const raw = '{"level":"info","detail":"pt-fake-yunxiao-token"}\n';
    const result = scanLogDir(logDir({ 'p-1.jsonl': lines.join('') + raw }));
    expect(lines[1]).toContain('[redacted]');
    expect(result.hits).toEqual([{ file: 'p-1.jsonl', line: 3, what: 'yunxiao token' }]);
  });

  it('the run has a log directory every harness writes into', () => {
    expect(testLogDir()).toMatch(/opsgate-test-logs-\d+$/);
  });
});
