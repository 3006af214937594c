import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/logger.js';
import { startRuntime } from '../../../src/app/runtime.js';
import { startFakeCloud } from '../../../src/fakes/cloud/fake-cloud.js';
import { startFakeSlackApi } from '../../../src/fakes/slack-api.js';
import { slashCommandBody } from '../../../src/fakes/slack-payloads.js';
import { postSigned } from '../../../src/fakes/slack-signing.js';
import { runtimeEnv, SIGNING_SECRET } from '../../support/runtime-env.js';
import { testLogSink } from '../../support/test-logger.js';

describe('one request id follows a command from the chat to the cloud and back', () => {
  it('stamps the operation line and every cloud call of a Slack command with the same requestId', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        // Also into the run's log directory, so the end-of-run secret scan covers these lines too.
        testLogSink('request-id').write(String(chunk));
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const cloud = await startFakeCloud();
    const slack = await startFakeSlackApi();
    const runtime = await startRuntime({
      env: runtimeEnv(cloud, slack),
      logger: createLogger({ level: 'debug', destination }),
      slackClientRetries: 0,
    });
    try {
      const run = cloud.yunxiao.addRun({ jobs: ['Gate'] });
      const body = slashCommandBody({
        userId: 'UALICE',
        channelId: 'CREL',
        text: `reject ${run.url} no`,
        responseUrl: slack.responseUrl('rid'),
      });
      expect((await postSigned(`http://127.0.0.1:${runtime.port}/slack/events`, SIGNING_SECRET, body)).status).toBe(
        200,
      );
      const done = () => lines.find((l) => l.msg === 'operation done' && l.operation === 'review.reject');
      await expect.poll(done, { timeout: 5_000, interval: 20 }).toBeTruthy();
      const requestId = done()?.requestId;
      expect(typeof requestId).toBe('string');
      const cloudCalls = lines.filter((l) => l.msg === 'http response');
      const ofRequest = cloudCalls.filter((l) => l.requestId === requestId);
      // The run read and the refuse call, both under the command's request id.
      expect(ofRequest.map((l) => l.label)).toEqual(expect.arrayContaining([expect.stringMatching(/refuse/i)]));
      expect(ofRequest.length).toBeGreaterThanOrEqual(2);
    } finally {
      await runtime.stop();
      await slack.close();
      await cloud.close();
    }
  });
});
