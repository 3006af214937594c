import { OpsError } from '../../core/errors.js';
import type { PipelineProvider, ProbeCheck } from '../../core/ports.js';
import type { RunRef } from '../../core/targets.js';

interface Regional {
  pipeline: PipelineProvider;
}

/**
 * One PipelineProvider over several regions: a run's region (from its devcloud URL, else the default region) picks
 * that region's client, created on first use. A region that is not configured is refused with
 * CONFIG.REGION_NOT_CONFIGURED naming the region and HUAWEI_PROJECT_IDS, before any call is made.
 */
export function createRegionRouter<R extends Regional>(options: {
  home: string;
  regions: readonly string[];
  create: (region: string) => R;
  probe: (region: string, regional: R) => Promise<ProbeCheck[]>;
}): PipelineProvider {
  const configured = new Set(options.regions);
  const clients = new Map<string, R>();
  function client(region: string): R {
    let found = clients.get(region);
    if (!found) {
      found = options.create(region);
      clients.set(region, found);
    }
    return found;
  }
  function pick(ref: RunRef): PipelineProvider {
    const region = (ref.cloud === 'huawei' ? ref.region : undefined) ?? options.home;
    if (!configured.has(region)) {
      throw new OpsError(
        'CONFIG.REGION_NOT_CONFIGURED',
        `the run is in region ${region}, which is not configured (set HUAWEI_PROJECT_IDS)`,
        { region, variable: 'HUAWEI_PROJECT_IDS', configured: [...configured] },
      );
    }
    return client(region).pipeline;
  }
  return {
    cloud: 'huawei',
    getRun: (ref) => pick(ref).getRun(ref),
    decide: (ref, review, decision) => pick(ref).decide(ref, review, decision),
    async inspect(ref) {
      const provider = pick(ref);
      if (!provider.inspect) throw new OpsError('INTERNAL.ERROR', 'inspect is not available');
      return provider.inspect(ref);
    },
    async probe() {
      const checks: ProbeCheck[] = [];
      for (const region of configured) checks.push(...(await options.probe(region, client(region))));
      return checks;
    },
  };
}
