export { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapter, type SlackAdapterDeps } from './adapter.js';
export type { SlackConfig } from './config.js';
export { createSlackPoster, type SlackPoster } from './poster.js';
export { SLACK_BODY_LIMIT } from './null-body-guard.js';
