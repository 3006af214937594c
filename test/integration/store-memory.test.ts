import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { describeStoreContract } from '../contract/store-contract.js';

describeStoreContract('memory', async (now) => createMemoryStore(now));
