import { MemoryStore } from '../../../services/register/memory-store';
import { registerStoreContract } from '../../support/store-contract';

registerStoreContract(
  'memory',
  async () => new MemoryStore(),
  async (s) => s.close(),
);
