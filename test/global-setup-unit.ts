import type { TestProject } from 'vitest/node';
import { setupLogDir } from './global-setup.js';

/** Global setup of the `unit` project: the scanned log directory only, no Redis (see test/global-setup.ts). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  return setupLogDir(project, 'unit');
}
