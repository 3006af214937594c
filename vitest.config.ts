import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (test/unit, test/property: in-process, no Redis; `npm run test:unit`) and `integration`
 * (everything else: real Redis from test/global-setup.ts, built bot processes). `vitest run` runs both.
 */
const UNIT = ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT, globalSetup: ['test/global-setup-unit.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: UNIT,
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
