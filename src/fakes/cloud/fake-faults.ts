/**
 * Faults the fake cloud injects, matched on `METHOD target` (target = path plus query as sent), first match wins,
 * consumed by `times` (default 1; Infinity for every matching request).
 *
 * @example
 * cloud.inject({ match: /\/refuse$/, kind: 'reset', applyBeforeFailing: true }); // decision applied, then the socket dies
 * cloud.inject({ match: 'GET /v5/', kind: 'status', status: 503, retryAfter: '1', times: 2 });
 */
export interface FaultSpec {
  /** Substring or pattern tested against `METHOD target`; omitted: every request. */
  match?: string | RegExp;
  kind: 'latency' | 'status' | 'reset' | 'timeout';
  /** latency: delay before answering normally. */
  ms?: number;
  /** status: the answer's status (default 503) and body (default a small JSON error). */
  status?: number;
  body?: unknown;
  retryAfter?: string;
  times?: number;
  /**
   * status/reset/timeout: run the real handler first (the request "arrived": a decision is applied), then fail.
   * Lets tests exercise ambiguous failures both ways. Default false: nothing is applied.
   */
  applyBeforeFailing?: boolean;
}

export interface FaultStore {
  inject(fault: FaultSpec): void;
  clear(): void;
  /** Finds and consumes the first fault matching this request. */
  take(method: string, target: string): FaultSpec | undefined;
}

export function createFaultStore(): FaultStore {
  let faults: Array<{ spec: FaultSpec; left: number }> = [];
  return {
    inject(spec) {
      const left = spec.times ?? 1;
      if (!(left > 0)) throw new Error('fault times must be > 0');
      faults.push({ spec, left });
    },
    clear() {
      faults = [];
    },
    take(method, target) {
      const line = `${method} ${target}`;
      const found = faults.find(({ spec }) => matches(spec.match, line));
      if (!found) return undefined;
      found.left -= 1;
      if (found.left <= 0) faults = faults.filter((f) => f !== found);
      return found.spec;
    },
  };
}

function matches(match: FaultSpec['match'], line: string): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return line.includes(match);
  match.lastIndex = 0;
  return match.test(line);
}
