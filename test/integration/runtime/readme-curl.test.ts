import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../../src/app/runtime.js';
import { type FakeCloud, startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../../src/fakes/slack-api.js';
import { runtimeEnv, WEBHOOK_SECRET } from '../../support/runtime-env.js';
import { testLogger } from '../../support/test-logger.js';

const run = promisify(execFile);
let cloud: FakeCloud;
let slack: FakeSlackApi;
let runtime: Runtime;

beforeAll(async () => {
  cloud = await startFakeCloud();
  slack = await startFakeSlackApi();
  runtime = await startRuntime({ env: runtimeEnv(cloud, slack), slackClientRetries: 0, logger: testLogger('runtime') });
});
afterAll(async () => {
  await runtime?.stop();
  await slack?.close();
  await cloud?.close();
});

/** The README's pipeline snippet, run as written by bash (with curl and openssl), against the real bot. */
describe('README: asking for a decision from a pipeline', () => {
  it('the documented curl line opens an approval', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Asking for a decision from a pipeline'));
    const snippet = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBeTruthy();
    const script = snippet!
      .replace('https://opsgate.example.com', `http://127.0.0.1:${runtime.port}`)
      .replace(',"dingtalk":["cidXXXX"]', '');
    const demo = cloud.yunxiao.addRun({ jobs: ['Gate'] });
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      env: {
        PATH: process.env.PATH ?? '',
        RUN_URL: demo.url,
        VERSION: '1.2.3',
        OPSGATE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
      timeout: 15_000,
    });
    const answer = JSON.parse(stdout) as { id: string };
    expect(answer.id).toMatch(/^[0-9a-f-]{36}$/);
    await slack.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(answer.id));
  });
});
