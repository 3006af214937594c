import { OpsError } from '../core/errors.js';
import type { Clock, Providers } from '../core/ports.js';

/** Codes that say the cloud (or our access to it) is not working, as opposed to a person's mistake. */
const UNHEALTHY = new Set([
  'PROVIDER.AUTH_FAILED',
  'PROVIDER.UNAVAILABLE',
  'PROVIDER.TIMEOUT',
  'PROVIDER.RATE_LIMITED',
]);

export interface CloudHealth {
  /** /readyz: ready unless the last call failed for a cloud-side reason and none succeeded since. */
  check(name: string): { ready: boolean; detail: string };
}

/**
 * Wraps the providers to remember each cloud's last success and last cloud-side failure, without probing the clouds
 * (readiness probes every few seconds must not cost API quota or an IAM token).
 */
export function trackCloudHealth(providers: Providers, now: Clock): { providers: Providers; health: CloudHealth } {
  const state = new Map<string, { ok?: number; failed?: number; code?: string }>();
  function wrap<T extends object>(name: string, target: T): T {
    return new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const entry = state.get(name) ?? {};
          try {
            const result = await value.apply(obj, args);
            state.set(name, { ...entry, ok: now() });
            return result;
          } catch (err) {
            if (err instanceof OpsError && UNHEALTHY.has(err.code))
              state.set(name, { ...entry, failed: now(), code: err.code });
            throw err;
          }
        };
      },
    });
  }
  const wrapped: Providers = { ...providers, pipelines: {} };
  if (providers.pipelines.huawei) wrapped.pipelines.huawei = wrap('huawei', providers.pipelines.huawei);
  if (providers.pipelines.yunxiao) wrapped.pipelines.yunxiao = wrap('yunxiao', providers.pipelines.yunxiao);
  if (providers.build) wrapped.build = wrap('huawei', providers.build);
  if (providers.check) wrapped.check = wrap('huawei', providers.check);
  return {
    providers: wrapped,
    health: {
      check(name) {
        const configured = name === 'huawei' ? !!providers.pipelines.huawei : !!providers.pipelines.yunxiao;
        if (!configured) return { ready: true, detail: 'not configured' };
        const s = state.get(name);
        if (s?.failed !== undefined && (s.ok === undefined || s.ok < s.failed)) {
          return { ready: false, detail: `last call failed: ${s.code}` };
        }
        return { ready: true, detail: s?.ok ? 'last call succeeded' : 'configured, not called yet' };
      },
    },
  };
}
