import { performance } from 'node:perf_hooks';

/** Puts a patched method back: removes the own property again when the method was inherited. */
function restore(target: object, name: string, original: unknown): void {
  const proto = Object.getPrototypeOf(target) as Record<string, unknown> | null;
  if (proto?.[name] === original) delete (target as Record<string, unknown>)[name];
  else (target as Record<string, unknown>)[name] = original;
}

/**
 * Calls `onItem(item, performance.now())` for every item pushed onto this array instance from now on, so a benchmark
 * can time arrivals at a fake (e.g. FakeSlackApi.calls) without polling. Returns a function that removes the tap.
 * @example
 * const untap = tapPush(slack.calls, (call, at) => arrivals.push([call.method, at]));
 */
export function tapPush<T>(array: T[], onItem: (item: T, at: number) => void): () => void {
  const original = array.push;
  array.push = function push(...items: T[]): number {
    const at = performance.now();
    for (const item of items) onItem(item, at);
    return original.apply(this, items);
  };
  return () => restore(array, 'push', original);
}

/**
 * Calls `onSet(key, value, performance.now())` for every set on this Map instance (e.g. FakeDingTalkGateway.responses,
 * which records a client's answer by messageId). Returns a function that removes the tap.
 * @example
 * const untap = tapSet(gateway.responses, (messageId, _list, at) => answeredAt.set(messageId, at));
 */
export function tapSet<K, V>(map: Map<K, V>, onSet: (key: K, value: V, at: number) => void): () => void {
  const original = map.set;
  map.set = function set(key: K, value: V) {
    onSet(key, value, performance.now());
    return original.call(this, key, value) as Map<K, V>;
  };
  return () => restore(map, 'set', original);
}
