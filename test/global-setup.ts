/**
 * Vitest global setup: starts the real services the product uses (Redis) for the whole run.
 * Filled in by the store work; kept as a no-op until then.
 */
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
