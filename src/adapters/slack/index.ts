export { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapter, type SlackAdapterDeps } from './adapter.js';
export type { SlackConfig } from './config.js';
export { createSlackPoster, type SlackPoster } from './poster.js';
