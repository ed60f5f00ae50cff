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

  it('shows a column under a unique index as it will replicate: unique-safe', async () => {
    const { module } = await bootEngine('version: v1\ntables:\n  public.users:\n    email: FakeEmail\n');
    try {
      const preview = module.get(TransformPreviewService);
      const columns = [col('id', 'int4', true), col('email')];
      const rows = [{ id: '1', email: 'ada@corp.example' }];
      const plain = await preview.preview('public', 'users', columns, rows);
      const keys = { uniqueIndexes: [{ name: 'users_email_key', columns: ['email'], primaryKey: false, partial: false }], foreignKeys: [] };
      const safe = await preview.preview('public', 'users', columns, rows, keys);
      expect(safe.rows[0].after.email).toMatch(/-[a-z2-7]{12}@/);
      expect(safe.rows[0].after.email!.replace(/-[a-z2-7]{12}@/, '@')).toBe(plain.rows[0].after.email);
    } finally {
      await module.close();
    }
  });
});
