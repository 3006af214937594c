import { fakeTriggerId, type SlackActor } from './slack-payloads.js';

/**
 * Payloads from Slack surfaces other than a channel message: Events API deliveries and clicks in the App Home tab or
 * in an ephemeral message. Same fake workspace as slack-payloads.ts.
 */
const TEAM = 'T0FAKE0001';
const APP = 'A0FAKEAPP1';
let counter = 0;
const next = () => `${Date.now()}${String(++counter).padStart(4, '0')}`;

/**
 * JSON body of an Events API `app_home_opened` delivery (event_callback envelope), after
 * https://docs.slack.dev/reference/events/app_home_opened and @slack/types `AppHomeOpenedEvent`.
 */
export function appHomeOpenedBody(input: { userId: string; teamId?: string; tab?: 'home' | 'messages' }): string {
  const team = input.teamId ?? TEAM;
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    token: 'fake-verification-token',
    team_id: team,
    api_app_id: APP,
    event: {
      type: 'app_home_opened',
      user: input.userId,
      channel: `D${input.userId.slice(1)}`,
      tab: input.tab ?? 'home',
      event_ts: `${now}.${String(++counter).padStart(6, '0')}`,
    },
    type: 'event_callback',
    event_id: `Ev${next()}`,
    event_time: now,
    authorizations: [{ enterprise_id: null, team_id: team, user_id: 'U0FAKEBOT1', is_bot: true }],
    is_ext_shared_channel: false,
  });
}

/**
 * `payload=<json>` of a block_actions click on a button that is not in a channel message: in the App Home tab
 * (`container.type: "view"`, a `view` object, no `channel`) or in an ephemeral message (`is_ephemeral: true`, no
 * `message`), after https://docs.slack.dev/reference/interaction-payloads/block_actions-payload.
 */
export function surfaceButtonClickBody(
  input: SlackActor & {
    surface: 'home' | 'ephemeral';
    actionId: string;
    value: string;
    channelId?: string;
    messageTs?: string;
    triggerId?: string;
    actionTs?: string;
  },
): string {
  const team = input.teamId ?? TEAM;
  const user = {
    id: input.userId,
    username: input.userId.toLowerCase(),
    name: input.userId.toLowerCase(),
    team_id: team,
  };
  const action = {
    action_id: input.actionId,
    block_id: 'opsgate_inbox_0',
    text: { type: 'plain_text', text: input.actionId, emoji: true },
    value: input.value,
    type: 'button',
    action_ts: input.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, '0')}`,
  };
  const common = {
    type: 'block_actions',
    user,
    api_app_id: APP,
    token: 'fake-verification-token',
    trigger_id: input.triggerId ?? fakeTriggerId(),
    team: { id: team, domain: 'opsgate-fake' },
    enterprise: null,
    is_enterprise_install: false,
    state: { values: {} },
    actions: [action],
  };
  const payload =
    input.surface === 'home'
      ? {
          ...common,
          container: { type: 'view', view_id: 'VHOME00001' },
          view: {
            id: 'VHOME00001',
            team_id: team,
            type: 'home',
            blocks: [],
            private_metadata: '',
            callback_id: 'opsgate_home',
            state: { values: {} },
            hash: `${Math.floor(Date.now() / 1000)}.fakehash`,
            app_id: APP,
            bot_id: 'B0FAKEBOT1',
          },
        }
      : {
          ...common,
          container: {
            type: 'message',
            message_ts: input.messageTs ?? `${Math.floor(Date.now() / 1000)}.000100`,
            channel_id: input.channelId,
            is_ephemeral: true,
          },
          channel: { id: input.channelId, name: 'releases' },
          response_url: 'http://127.0.0.1:9/response_url/unused',
        };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
