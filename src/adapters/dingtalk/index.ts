export { createDingTalkAdapter, type DingTalkAdapter, type DingTalkAdapterDeps } from './adapter.js';
export {
  DEFAULT_DINGTALK_API_URL,
  DEFAULT_DINGTALK_GATEWAY_URL,
  type DingTalkConfig,
  parseDingTalkConfig,
  validateDingTalkConfig,
} from './config.js';
export { DEFAULT_STREAM_TIMING, type StreamHealth, type StreamTiming, type Timers } from './supervisor.js';
