import fc from 'fast-check';
import { nasty } from './arbitraries.js';

/**
 * Arbitraries for malformed input from chat platforms (Slack bodies, DingTalk frames): junk text of every kind,
 * wrong JSON types, and mutations of a well-formed object at a path.
 */

/** Text a platform should never send: empty, binary, path pieces, broken JSON, mentions, very long. */
export const junkText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.array(nasty, { minLength: 1, maxLength: 4 }).map((a) => a.join('')),
  fc.constantFrom('', ' ', 'null', 'true', '0', '{', '{"a":', '[]', '[{', '"x"', '<!channel>', '$' + '{jndi:ldap://x}'),
  fc.constantFrom(1_000, 20_000, 200_000).map((n) => 'x'.repeat(n)),
);

/** Any JSON value (wrong types where an object, string or array is expected). */
export const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, 0, -1, '', [], {}, [null], { toString: 1 }),
  junkText,
);

/** An id that must never be acted on: a real one with path or control characters around it, or junk. */
export function mangledId(real: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(nasty, fc.boolean()).map(([n, before]) => (before ? n + real : real + n)),
    fc
      .tuple(nasty, fc.nat({ max: 40 }))
      .map(([n, i]) => real.slice(0, i % real.length) + n + real.slice(i % real.length)),
    fc.constantFrom(`../${real}`, `${real}/../x`, `${real}%2F`, encodeURIComponent(`/${real}`), `${real}\u0000`),
    junkText.filter((s) => s !== real),
  );
}

export type Mutation = { kind: 'set'; path: string; value: unknown } | { kind: 'delete'; path: string };

/** Up to `max` set/delete mutations at the given paths. */
export function mutations(paths: readonly string[], max = 3): fc.Arbitrary<Mutation[]> {
  const path = fc.constantFrom(...paths);
  const one: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), path, value: junkJson }),
    fc.record({ kind: fc.constant('delete' as const), path }),
  );
  return fc.array(one, { minLength: 1, maxLength: max });
}

/** Applies mutations to a deep copy of `base` (dotted paths; a missing or non-object parent is skipped). */
export function mutate<T>(base: T, changes: readonly Mutation[]): T {
  const copy = structuredClone(base) as unknown;
  for (const change of changes) {
    const keys = change.path.split('.');
    const last = keys.pop() as string;
    let node: unknown = copy;
    for (const key of keys)
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    if (typeof node !== 'object' || node === null) continue;
    const parent = node as Record<string, unknown>;
    if (change.kind === 'delete') delete parent[last];
    else parent[last] = change.value;
  }
  return copy as T;
}
