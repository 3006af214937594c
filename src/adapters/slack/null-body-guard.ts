import type { RequestListener } from 'node:http';
import { parse } from 'node:querystring';

/**
 * The largest body Slack sends this app, rounded up: 512 KiB (Bolt's own limit, HTTPModuleFunctions.defaultBodyLimit,
 * is 4 MB). The biggest person-made part of any payload is text typed into Slack, at most 40,000 characters
 * (https://api.slack.com/changelog/2018-04-truncating-really-long-messages); form-encoded, a character costs at most
 * 12 bytes (4 UTF-8 bytes, each `%XX`), so 480,000 bytes. Every other part is small and bounded: the message or
 * modal echoed back is one opsgate built (a few KiB, texts clipped to Block Kit limits, blocks.ts), and ids,
 * tokens and URLs are short. Past this the request is answered 413 before more is read.
 */
export const SLACK_BODY_LIMIT = 512 * 1024;

/**
 * Bolt 5's HTTPReceiver reads `body.ssl_check` right after parsing, inside an async handler nobody awaits: a correctly
 * signed body that parses to `null` (`payload=null`, or the JSON text `null`) throws there, which is an unhandled
 * rejection, and the request never gets an answer (@slack/bolt dist/receivers/HTTPReceiver.js, handleIncomingEvent).
 * This reads the body first, answers 400 to one that parses to `null` (413 past Bolt's limit), and hands every other
 * request to Bolt with the body already read (Bolt reuses `req.rawBody`: HTTPModuleFunctions.bufferIncomingMessage).
 * @example
 * const listener = guardNullBody(receiver.requestListener);
 */
export function guardNullBody(listener: RequestListener, limit = SLACK_BODY_LIMIT): RequestListener {
  return (req, res) => {
    let done = false;
    const answer = (status: number) => {
      done = true;
      res.writeHead(status, { connection: 'close' }).end();
    };
    // The product's HTTP server has read the body already, within this limit and its shared budget (server.ts).
    const preRead = (req as typeof req & { rawBody?: Buffer }).rawBody;
    if (preRead) {
      if (parsesToNull(preRead.toString(), req.headers['content-type'])) return void answer(400);
      return listener(req, res);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) return answer(413);
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (!done) answer(400);
    });
    req.on('end', () => {
      if (done) return;
      const rawBody = Buffer.concat(chunks);
      if (parsesToNull(rawBody.toString(), req.headers['content-type'])) return answer(400);
      done = true;
      (req as typeof req & { rawBody: Buffer }).rawBody = rawBody;
      listener(req, res);
    });
  };
}

/** Bolt's own parsing (HTTPModuleFunctions.parseHTTPRequestBody), asking only whether the result is `null`. */
function parsesToNull(text: string, contentType: string | undefined): boolean {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parse(text);
      return typeof payload === 'string' && JSON.parse(payload) === null;
    }
    return JSON.parse(text) === null;
  } catch {
    // Unparsable: Bolt answers it (400) itself.
    return false;
  }
}
