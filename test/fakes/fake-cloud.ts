// The fake cloud lives in src/fakes/cloud (it ships for `npm run sandbox` and the benchmarks); tests import it here.
export * from '../../src/fakes/cloud/fake-cloud.js';
