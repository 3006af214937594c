export * from '../../src/fakes/cloud/seed.js';
