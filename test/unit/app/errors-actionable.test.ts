import { Writable } from 'node:stream';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/logger.js';
import { OpsError, toOpsError } from '../../../src/core/errors.js';
import { renderError, toPlainText } from '../../../src/core/i18n/index.js';
import { runInRequest } from '../../../src/core/request-context.js';
import { createHttpClient } from '../../../src/net/http-client.js';

/** Errors an operator can act on: which host does not resolve; what failed, where, and why, once in the log. */
describe('a DNS failure', () => {
  it('names the host and says to check the endpoint setting, not "try again shortly"', async () => {
    // A resolver that knows no name: no query leaves the machine.
    const lookup = (_host: string, _options: unknown, callback: (err: Error) => void) =>
      callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const dispatcher = new Agent({ connect: { lookup } as never });
    const http = createHttpClient({ dispatcher, retries: 0 });
    const err = await http
      .request({
        origin: 'https://cloudpipeline-ext.cn-nowhere-9.myhuaweicloud.com',
        method: 'GET',
        path: '/v5/x',
        idempotent: true,
        label: 'huawei.getRun',
      })
      .then(
        () => undefined,
        (e: unknown) => toOpsError(e),
      );
    await dispatcher.close();
    if (!err) throw new Error('the request should have failed');
    expect(err.code).toBe('PROVIDER.UNAVAILABLE');
    expect(err.meta.host).toBe('cloudpipeline-ext.cn-nowhere-9.myhuaweicloud.com');
    for (const locale of ['en', 'zh-CN'] as const) {
      const text = toPlainText(renderError(locale, err));
      expect(text).toContain('cloudpipeline-ext.cn-nowhere-9.myhuaweicloud.com');
      expect(text).toContain('_ENDPOINT');
      expect(text).not.toMatch(/try again shortly/);
    }
  });
});

describe('an unexpected error in the log', () => {
  it('is one line with its stack and cause chain, under the request id, secrets still redacted', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    const root = Object.assign(new Error('connect failed to https://user:hunter2@redis.example/0?token=abc'), {
      code: 'ECONNRESET',
    });
    const error = toOpsError(new TypeError('cannot read x', { cause: root }));
    runInRequest({ requestId: 'req-42', subject: 'cli:alice' }, () =>
      logger.error({ code: error.code, err: error, token: 'xoxb-secret' }, 'operation failed'),
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line.requestId).toBe('req-42');
    expect(line.token).toBe('[redacted]');
    const err = line.err as {
      type: string;
      stack: string;
      cause: { type: string; cause: { code: string; message: string } };
    };
    expect(err.type).toBe('OpsError');
    expect(err.stack).toContain('errors-actionable.test.ts');
    expect(err.cause.type).toBe('TypeError');
    expect(err.cause.cause.code).toBe('ECONNRESET');
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).not.toContain('token=abc');
    expect(new OpsError('INTERNAL.ERROR', 'x').toJSON().code).toBe('INTERNAL.ERROR');
  });
});
