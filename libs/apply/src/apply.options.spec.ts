import { DEFAULT_LOCK_KEY, resolveApplyOptions } from './apply.options';

describe('resolveApplyOptions', () => {
  it('applies defaults', () => {
    expect(resolveApplyOptions({ connectionString: 'postgresql://x/y' })).toEqual({
      connectionString: 'postgresql://x/y',
      lockKey: DEFAULT_LOCK_KEY,
      maxRowsPerStatement: 1000,
    });
    expect(resolveApplyOptions({ connectionString: 'c', lockKey: '-42' }).lockKey).toBe(-42n);
  });

  it('reports every problem at once', () => {
    expect(() => resolveApplyOptions({ connectionString: '', lockKey: 'abc', maxRowsPerStatement: 0 })).toThrow(
      /connectionString.*maxRowsPerStatement must be a positive integer, got 0.*lockKey must be a 64-bit integer/,
    );
    expect(() => resolveApplyOptions({ connectionString: 'c', lockKey: 1n << 63n })).toThrow('signed 64-bit');
  });
});
