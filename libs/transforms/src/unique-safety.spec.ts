import type { UniqueIndex } from '@kasho/contracts';
import { Logger } from '@nestjs/common';
import { bootEngine, col, insert } from '@kasho/testing/transforms';
import type { Transform } from './transform.interface';
import type { ColumnRule } from './transforms-config';
import { decideUniqueSafety, uniqueIndexesSignature } from './unique-safety';

const free: Transform = { supportsUnique: true, apply: (v) => v };
const fixed: Transform = { apply: () => 't' };

function rule(column: string, transform: Transform, unique?: boolean, typeName = transform === free ? 'FakeEmail' : 'Bool'): ColumnRule {
  return { schema: 'public', table: 'accounts', column, typeName, transform, prepared: {}, unique, phase: 'value', references: [] };
}
const index = (name: string, columns: string[], extra: Partial<UniqueIndex> = {}): UniqueIndex => ({
  name,
  columns,
  primaryKey: false,
  partial: false,
  ...extra,
});
const decide = (rules: ColumnRule[], indexes: UniqueIndex[]) => decideUniqueSafety('public', 'accounts', rules, indexes);

describe('decideUniqueSafety', () => {
  it('makes a transformed column under a single-column unique index or primary key unique-safe, naming the index', () => {
    const safety = decide(
      [rule('email', free), rule('code', free), rule('name', free)],
      [index('accounts_code_pkey', ['code'], { primaryKey: true }), index('accounts_email_key', ['email'])],
    );
    expect([...safety.columns]).toEqual([
      ['code', { kind: 'index', index: 'accounts_code_pkey' }],
      ['email', { kind: 'index', index: 'accounts_email_key' }],
    ]);
    expect(safety.summary).toBe('public.accounts: unique-safe output for code (unique index accounts_code_pkey), email (unique index accounts_email_key)');
    expect(safety.warnings).toEqual([]);
  });

  it('leaves untransformed columns and columns under no unique index alone', () => {
    const safety = decide([rule('name', free)], [index('accounts_pkey', ['id'], { primaryKey: true })]);
    expect(safety.columns.size).toBe(0);
    expect(safety.summary).toBeUndefined();
    expect(safety.warnings).toEqual([]);
  });

  it('makes every transformed column of a multi-column unique index unique-safe (all transformed, or next to untransformed ones)', () => {
    expect([...decide([rule('first', free), rule('last', free)], [index('accounts_first_last_key', ['first', 'last'])]).columns.keys()]).toEqual([
      'first',
      'last',
    ]);
    expect([...decide([rule('email', free)], [index('accounts_tenant_email_key', ['tenant_id', 'email'])]).columns.keys()]).toEqual(['email']);
  });

  it('counts partial unique indexes', () => {
    const safety = decide([rule('email', free)], [index('accounts_live_email', ['email'], { partial: true })]);
    expect(safety.columns.get('email')).toEqual({ kind: 'index', index: 'accounts_live_email' });
  });

  it('honours unique: false with a warning naming the column and the index', () => {
    const safety = decide([rule('email', free, false)], [index('accounts_email_key', ['email'])]);
    expect(safety.columns.size).toBe(0);
    expect(safety.warnings).toEqual([
      expect.stringContaining('public.accounts.email is under unique index accounts_email_key but transforms.yml says unique: false'),
    ]);
  });

  it('warns (does not fail) for a transform that cannot be unique under a unique index, naming table.column and index', () => {
    const safety = decide([rule('flag', fixed)], [index('accounts_flag_key', ['flag'])]);
    expect(safety.columns.size).toBe(0);
    expect(safety.warnings).toEqual([
      expect.stringContaining('public.accounts.flag is under unique index accounts_flag_key but Bool cannot make its output unique'),
    ]);
  });

  it('keeps unique: true without any index, and reports it as configured rather than by an index', () => {
    const safety = decide([rule('email', free, true)], []);
    expect(safety.columns.get('email')).toEqual({ kind: 'config' });
    expect(safety.summary).toBeUndefined();
  });

  it('gives index lists a signature that changes with names and columns', () => {
    expect(uniqueIndexesSignature([index('a', ['x'])])).toBe(uniqueIndexesSignature([index('a', ['x'])]));
    expect(uniqueIndexesSignature([index('a', ['x'])])).not.toBe(uniqueIndexesSignature([index('a', ['y'])]));
    expect(uniqueIndexesSignature([])).not.toBe(uniqueIndexesSignature([index('a', ['x'])]));
  });
});

describe('TransformEngine with unique indexes', () => {
  const YAML = `version: v1
tables:
  public.accounts:
    email: FakeEmail
    alias: {type: FakeEmail, unique: false}
    name: FakeName
`;
  const COLUMNS = [col('id', 'int8', true), col('email'), col('alias'), col('name')];
  const row = { id: '1', email: 'ada@corp.example', alias: 'ada@corp.example', name: 'Ada' };

  it('suffixes a column once it is told its unique index, honours unique: false, and logs the columns once per plan', async () => {
    const { engine, module } = await bootEngine(YAML);
    const logs: string[] = [];
    const warnings: string[] = [];
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation((m: unknown) => void logs.push(String(m)));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => void warnings.push(String(m)));
    try {
      const before = (await engine.transformRow(insert('public.accounts', COLUMNS, row))).new!;
      expect(before.email).toMatch(/^[a-z.]+\d*@example\.(com|net|org)$/);
      expect(engine.useUniqueIndexes('public', 'accounts', [index('accounts_email_key', ['email']), index('accounts_alias_key', ['alias'])])).toBe(true);
      const after = (await engine.transformRow(insert('public.accounts', COLUMNS, row))).new!;
      expect(after.email).toMatch(/^[a-z.]+\d*-[a-z2-7]{12}@example\.(com|net|org)$/);
      expect(after.email!.replace(/-[a-z2-7]{12}@/, '@')).toBe(before.email);
      expect(after.alias).toBe(before.alias);
      expect(after.name).toBe(before.name);
      await engine.transformRow(insert('public.accounts', COLUMNS, row));
      expect(engine.useUniqueIndexes('public', 'accounts', [index('accounts_email_key', ['email']), index('accounts_alias_key', ['alias'])])).toBe(false);
      await engine.transformRow(insert('public.accounts', COLUMNS, row));
      expect(logs.filter((l) => l.includes('unique-safe'))).toEqual(['public.accounts: unique-safe output for email (unique index accounts_email_key)']);
      expect(warnings.filter((w) => w.includes('unique: false'))).toHaveLength(1);
      for (const line of [...logs, ...warnings]) expect(line).not.toContain('ada@corp');
      // The index dropped: the plain fake again.
      engine.useUniqueIndexes('public', 'accounts', []);
      expect((await engine.transformRow(insert('public.accounts', COLUMNS, row))).new!.email).toBe(before.email);
    } finally {
      log.mockRestore();
      warn.mockRestore();
      await module.close();
    }
  });
});
