/** The verbs of the grammar, their aliases and their accepted forms (shown in errors and help). */
export const VERBS = [
  'reject',
  'approve',
  'postpone',
  'pending',
  'notify',
  'watch',
  'whoami',
  'inbox',
  'help',
] as const;
export type Verb = (typeof VERBS)[number];
export const ALIASES: Record<string, Verb> = {
  refuse: 'reject',
  pass: 'approve',
  delay: 'postpone',
  list: 'pending',
  status: 'pending',
  '?': 'help',
  /** DingTalk teams type the inbox in Chinese ("@opsgate 待审批"). */
  待审批: 'inbox',
};

/** Accepted forms per verb, for "shows the accepted form" messages and help. */
export const USAGE: Record<Verb, string> = {
  reject: 'reject <run-url | ids> [--step S] [reason...]',
  approve: 'approve <run-url | ids> [--step S] [comment...]',
  postpone: 'postpone <run-url | ids> [--step S] [comment...]',
  pending: 'pending <run-url | ids>',
  notify:
    'notify disable <build-job-id> <message|email|dingtalk> | notify update <build-job-id> <notice-type> <event[,event...]> [--param-config JSON] | notify show build <build-job-id> | notify show project <project-id> | notify show tenant <domain-id>',
  watch: 'watch <run-url | ids> [#channel | channel-id]',
  whoami: 'whoami',
  inbox: 'inbox',
  help: 'help [command]',
};
