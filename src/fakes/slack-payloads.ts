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
