/**
 * Request bodies in the shapes Slack sends (form-encoded slash commands, `payload=<json>` interactions), after
 * slackapi/bolt-js test/unit/helpers/events.ts and bolt-python tests/scenario_tests. For the tests and the sandbox.
 */
export interface SlackActor {
  teamId?: string;
  userId: string;
  userName?: string;
}

const TEAM = 'T0FAKE0001';
const APP = 'A0FAKEAPP1';
let counter = 0;
const next = () => `${Date.now()}${String(++counter).padStart(4, '0')}`;

/** A trigger_id like Slack's (`<number>.<number>.<hex>`). */
export function fakeTriggerId(): string {
  return `${next()}.${next()}.${Buffer.from(next()).toString('hex').slice(0, 32)}`;
}

export interface SlashCommandInput extends SlackActor {
  text: string;
  channelId: string;
  responseUrl: string;
  command?: string;
  triggerId?: string;
}

/** application/x-www-form-urlencoded body of a slash command invocation. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams({
    token: 'fake-verification-token',
    team_id: input.teamId ?? TEAM,
    team_domain: 'opsgate-fake',
    channel_id: input.channelId,
    channel_name: 'releases',
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command ?? '/ops',
    text: input.text,
    api_app_id: APP,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? fakeTriggerId(),
  }).toString();
}

export interface ButtonClickInput extends SlackActor {
  channelId: string;
  messageTs: string;
  actionId: string;
  value: string;
  responseUrl: string;
  /** Each click has its own action_ts; a redelivery repeats it. */
  actionTs?: string;
  triggerId?: string;
  blocks?: unknown[];
}

/** `payload=<json>` body of a block_actions interaction (a button click on a bot message). */
export function buttonClickBody(input: ButtonClickInput): string {
  const team = input.teamId ?? TEAM;
  const payload = {
    type: 'block_actions',
    user: {
      id: input.userId,
      username: input.userName ?? input.userId.toLowerCase(),
      name: input.userName ?? input.userId.toLowerCase(),
      team_id: team,
    },
    api_app_id: APP,
    token: 'fake-verification-token',
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channelId, is_ephemeral: false },
    trigger_id: input.triggerId ?? fakeTriggerId(),
    team: { id: team, domain: 'opsgate-fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: 'releases' },
    message: {
      bot_id: 'B0FAKEBOT1',
      type: 'message',
      text: 'Manual review waiting',
      user: 'U0FAKEBOT1',
      ts: input.messageTs,
      app_id: APP,
      blocks: input.blocks ?? [],
      team,
    },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.actionId,
        block_id: 'opsgate_decision',
        text: { type: 'plain_text', text: input.actionId, emoji: true },
        value: input.value,
        type: 'button',
        action_ts: input.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, '0')}`,
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface ViewSubmissionInput extends SlackActor {
  callbackId: string;
  privateMetadata: string;
  /** Input values by block id, then action id. */
  values: Record<string, Record<string, string | null>>;
  viewId?: string;
}

/** `payload=<json>` body of a view_submission (a modal's submit button). */
export function viewSubmissionBody(input: ViewSubmissionInput): string {
  const team = input.teamId ?? TEAM;
  const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const [block, actions] of Object.entries(input.values)) {
    values[block] = {};
    for (const [action, value] of Object.entries(actions)) values[block][action] = { type: 'plain_text_input', value };
  }
  const viewId = input.viewId ?? `V${next().slice(-10)}`;
  const payload = {
    type: 'view_submission',
    team: { id: team, domain: 'opsgate-fake' },
    user: {
      id: input.userId,
      username: input.userName ?? input.userId.toLowerCase(),
      name: input.userName ?? input.userId.toLowerCase(),
      team_id: team,
    },
    api_app_id: APP,
    token: 'fake-verification-token',
    trigger_id: fakeTriggerId(),
    view: {
      id: viewId,
      team_id: team,
      type: 'modal',
      blocks: [],
      private_metadata: input.privateMetadata,
      callback_id: input.callbackId,
      state: { values },
      hash: `${Math.floor(Date.now() / 1000)}.fakehash`,
      title: { type: 'plain_text', text: 'Reject review', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Reject', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: APP,
      external_id: '',
      app_installed_team_id: team,
      bot_id: 'B0FAKEBOT1',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

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
