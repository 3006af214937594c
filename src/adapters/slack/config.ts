/**
 * What the Slack adapter needs. Socket Mode when `appToken` is set, else HTTP (signed requests on /slack/events).
 * The app reads it from SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN and SLACK_API_URL.
 * @example
 * const config: SlackConfig = { botToken: 'xoxb-…', signingSecret: '…', apiUrl: 'http://127.0.0.1:4000/api/' };
 */
export interface SlackConfig {
  botToken: string;
  /** HTTP mode verifies every request with it; unused in Socket Mode. */
  signingSecret: string;
  appToken?: string;
  /** Web API base URL, ending in `/` (default https://slack.com/api/): proxies, the fake Slack API, the sandbox. */
  apiUrl?: string;
  /** Web API timeout per request in ms (default 10 000). */
  timeoutMs?: number;
  /**
   * HTTP mode: how long Bolt waits for a listener to ack before it answers 404 itself (HTTPReceiver's
   * unhandledRequestTimeoutMillis, default 3001). Slack's own deadline is 3 s; tests shorten it.
   */
  unhandledRequestTimeoutMs?: number;
  /** The slash command (default /ops). */
  command?: string;
}
