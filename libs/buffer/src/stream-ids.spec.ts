import { Position } from '@kasho/contracts';
import { insert } from '@kasho/testing';
import { BufferOrderError } from './buffer.errors';
import { batchIds, successor } from './stream-ids';

describe('stream IDs', () => {
  it('canonicalises positions and requires strictly increasing batches', () => {
    expect(batchIds([insert('007-1'), insert('9007199254740993-0')]).map(String)).toEqual(['7-1', '9007199254740993-0']);
    expect(() => batchIds([insert('2-0'), insert('1-9')])).toThrow(BufferOrderError);
    expect(() => batchIds([insert('not-a-position')])).toThrow('invalid position');
    expect(batchIds([])).toEqual([]);
  });

  it('finds the next position across the index limit', () => {
    const max = (1n << 64n) - 1n;
    expect(successor(Position.parse('9007199254740993-4'))?.toString()).toBe('9007199254740993-5');
    expect(successor(new Position(5n, max))?.toString()).toBe('6-0');
    expect(successor(new Position(max, max))).toBeNull();
  });
});
