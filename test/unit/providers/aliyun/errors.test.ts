import { describe, expect, it } from 'vitest';
import { isSuccess, readFailure, yunxiaoError } from '../../../../src/providers/aliyun/errors.js';
import type { HttpResponse } from '../../../../src/net/http-client.js';

function res(status: number, json: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, text: json === undefined ? '' : JSON.stringify(json), json };
}

describe('yunxiaoError', () => {
  it('maps a devops body with its request id', () => {
    const err = yunxiaoError(
      res(400, {
        requestId: 'R-1',
        success: false,
        errorCode: 'InvalidParam.ParamNotPresent',
        errorMessage: 'job is not waiting for validation',
      }),
      'yunxiao.devops.refuse',
    );
    expect(err.code).toBe('PROVIDER.BAD_REQUEST');
    expect(err.meta).toEqual({
      provider: 'yunxiao',
      label: 'yunxiao.devops.refuse',
      status: 400,
      providerCode: 'InvalidParam.ParamNotPresent',
      providerMessage: 'job is not waiting for validation',
      requestId: 'R-1',
    });
    expect(err.message).toBe('yunxiao.devops.refuse: HTTP 400 InvalidParam.ParamNotPresent');
  });

  it('maps POP gateway bodies (RequestId, Code, Message); signature and timestamp codes are auth failures', () => {
    for (const code of [
      'SignatureDoesNotMatch',
      'InvalidTimeStamp.Expired',
      'SignatureNonceUsed',
      'InvalidAccessKeyId.NotFound',
    ]) {
      const err = yunxiaoError(res(400, { RequestId: 'POP-9', Code: code, Message: 'nope' }), 'l');
      expect(err.code, code).toBe('PROVIDER.AUTH_FAILED');
      expect(err.meta.requestId).toBe('POP-9');
      expect(err.meta.providerCode).toBe(code);
    }
    expect(yunxiaoError(res(400, { RequestId: 'x', Code: 'Throttling.User', Message: 'slow' }), 'l').code).toBe(
      'PROVIDER.RATE_LIMITED',
    );
  });

  it('maps rdc bodies and takes the request id from x-request-id when the body has none', () => {
    const err = yunxiaoError(
      res(401, { errorCode: 'Unauthorized', errorMessage: 'invalid token' }, { 'x-request-id': 'rdc-7' }),
      'yunxiao.rdc.getRun',
    );
    expect(err.code).toBe('PROVIDER.AUTH_FAILED');
    expect(err.meta).toMatchObject({
      providerCode: 'Unauthorized',
      providerMessage: 'invalid token',
      requestId: 'rdc-7',
    });
  });

  it('takes the request id from x-acs-request-id', () => {
    const err = yunxiaoError(res(502, undefined, { 'x-acs-request-id': 'acs-3' }), 'l');
    expect(err.code).toBe('PROVIDER.UNAVAILABLE');
    expect(err.meta.requestId).toBe('acs-3');
    expect(err.meta.providerCode).toBeUndefined();
  });

  it.each([
    [401, 'Whatever', 'PROVIDER.AUTH_FAILED'],
    [403, 'Forbidden.AccessDenied', 'PROVIDER.FORBIDDEN'],
    [404, 'InvalidPipelineRun.NotFound', 'PROVIDER.NOT_FOUND'],
    [404, 'InvalidOrganization.NotFound', 'PROVIDER.NOT_FOUND'],
    [429, undefined, 'PROVIDER.RATE_LIMITED'],
    [400, 'InvalidUser.NotFound', 'PROVIDER.BAD_REQUEST'],
    [500, 'InternalError', 'PROVIDER.UNAVAILABLE'],
    [503, 'ServiceUnavailable', 'PROVIDER.UNAVAILABLE'],
    [200, 'InvalidPipeline.NotFound', 'PROVIDER.NOT_FOUND'],
    [200, 'Forbidden.UserNotInCurrentOrganization', 'PROVIDER.FORBIDDEN'],
    [200, 'SomethingElse', 'PROVIDER.ERROR'],
  ] as const)('HTTP %i %s → %s', (status, code, expected) => {
    const body = code === undefined ? {} : { requestId: 'r', success: false, errorCode: code, errorMessage: 'm' };
    expect(yunxiaoError(res(status, body), 'l').code).toBe(expected);
  });

  it('truncates provider messages to 300 characters and scrubs signature-looking values', () => {
    const long = 'x'.repeat(1000);
    expect(readFailure(res(400, { Code: 'C', Message: long })).providerMessage).toHaveLength(300);
    const sig = 'ab'.repeat(32);
    const echoed = readFailure(
      res(400, { Code: 'SignatureDoesNotMatch', Message: `expected Signature=${sig} for ${sig} with pt-abcdefgh1234` }),
    ).providerMessage;
    expect(echoed).not.toContain(sig);
    expect(echoed).not.toContain('pt-abcdefgh1234');
  });
});

describe('isSuccess', () => {
  it('needs a 2xx without success:false', () => {
    expect(isSuccess(res(200, { success: true }))).toBe(true);
    expect(isSuccess(res(200, true))).toBe(true);
    expect(isSuccess(res(200, { success: false }))).toBe(false);
    expect(isSuccess(res(400, { success: true }))).toBe(false);
  });
});
