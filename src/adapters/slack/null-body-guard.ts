import type { RequestListener } from 'node:http';
import { parse } from 'node:querystring';

/** Bolt's HTTPReceiver body limit (HTTPModuleFunctions.defaultBodyLimit, 4 MB). */
export const SLACK_BODY_LIMIT = 4 * 1024 * 1024;

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
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const answer = (status: number) => {
      done = true;
      res.writeHead(status, { connection: 'close' }).end();
    };
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
