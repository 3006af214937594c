import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics (prom-client: the maintained standard for Node). One registry per runtime so tests and the
 * sandbox can run several bots in one process.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'opsgate_' });
  const operations = new Counter({
    name: 'opsgate_operations_total',
    help: 'Operations executed, by name, outcome (ok|error) and error code',
    labelNames: ['operation', 'outcome', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'opsgate_operation_duration_seconds',
    help: 'Operation latency from parse to outcome, including cloud calls',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inflight = new Gauge({
    name: 'opsgate_inflight_requests',
    help: 'Requests being worked on (the work queue depth)',
    registers: [registry],
  });
  const openApprovals = new Gauge({
    name: 'opsgate_open_approvals',
    help: 'Approvals waiting for a decision (sampled by the sweeper)',
    registers: [registry],
  });
  return {
    registry,
    inflight,
    openApprovals,
    observe(event: { operation: string; ok: boolean; code?: string; ms: number }): void {
      operations.inc({ operation: event.operation, outcome: event.ok ? 'ok' : 'error', code: event.code ?? '' });
      duration.observe({ operation: event.operation }, event.ms / 1000);
    },
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
