import { bootEngine, col } from '@kasho/testing/transforms';
import { TransformPreviewService } from './transform-preview.service';

describe('TransformPreviewService', () => {
  it('returns rows before and after and renders them side by side', async () => {
    const { module } = await bootEngine('version: v1\ntables:\n  public.users:\n    name: FakeName\n');
    const preview = module.get(TransformPreviewService);
    const before = [
      { id: '1', name: 'John Doe' },
      { id: '2', name: null },
    ];
    const result = await preview.preview('public', 'users', [col('id', 'int4', true), col('name')], before);
    expect(result.transformed).toEqual(['name']);
    expect(result.rows[0].before).toBe(before[0]);
    expect(result.rows[0].after.id).toBe('1');
    expect(result.rows[0].after.name).not.toBe('John Doe');
    expect(result.rows[1].after.name).toBeNull();
    const text = preview.render(result);
    expect(text).toContain('public.users: 2 row(s)');
    expect(text).toMatch(/\* name\s+\| John Doe\s+\| \S+ \S+/);
    expect(text).toMatch(/ {2}id\s+\| 1\s+\| 1/);
    await module.close();
  });
});
