/**
 * `--name=value` options with numeric defaults (benchmarks take no other input).
 * @example
 * const opts = numberArgs(process.argv.slice(2), { count: 10_000, concurrency: 64 }); // node x.js --count=2000
 */
export function numberArgs<T extends Record<string, number>>(argv: readonly string[], defaults: T): T {
  const out: Record<string, number> = { ...defaults };
  for (const arg of argv) {
    const m = /^--([a-z][a-zA-Z-]*)=(.+)$/.exec(arg);
    const name = m?.[1];
    if (name === undefined || !Object.hasOwn(defaults, name)) continue;
    const value = Number(m?.[2]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
    out[name] = value;
  }
  return out as T;
}

/** True when `--flag` is present. */
export function flagArg(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

/**
 * `--name=a,b,c` as numbers, or the defaults.
 * @example
 * numberListArg(['--concurrency=50,200'], 'concurrency', [64]); // [50, 200]
 */
export function numberListArg(argv: readonly string[], name: string, defaults: readonly number[]): number[] {
  const raw = argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (raw === undefined) return [...defaults];
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new Error(`--${name} must be a comma-separated list of positive numbers`);
  }
  return values;
}
