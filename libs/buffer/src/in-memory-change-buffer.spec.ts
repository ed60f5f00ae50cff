import { changeBufferContract } from '../test/change-buffer.contract';
import { InMemoryChangeBuffer } from './in-memory-change-buffer';

describe('InMemoryChangeBuffer', () => {
  changeBufferContract(async () => {
    const buffer = new InMemoryChangeBuffer();
    return {
      buffer,
      loseData: async () => buffer.simulateDataLoss(),
      loseEntries: async (positions) => buffer.simulateEntryLoss(positions),
      loseTail: async (count) => buffer.simulateTailLoss(count),
    };
  });
});
