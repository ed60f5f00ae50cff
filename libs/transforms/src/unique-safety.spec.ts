import type { ForeignKey, UniqueIndex } from '@kasho/contracts';
import { Logger } from '@nestjs/common';
import { bootEngine, col, insert } from '@kasho/testing/transforms';
import type { Transform } from './transform.interface';
import type { ColumnRule } from './transforms-config';
import { decideUniqueSafety, uniqueKeysSignature } from './unique-safety';

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
const decide = (rules: ColumnRule[], indexes: UniqueIndex[], foreignKeys: ForeignKey[] = [], referenced: ColumnRule[] = []) =>
  decideUniqueSafety('public', 'accounts', rules, { uniqueIndexes: indexes, foreignKeys }, (schema, table, column) =>
    referenced.find((r) => `${r.schema}.${r.table}.${r.column}` === `${schema}.${table}.${column}`),
  );
const fk = (name: string, columns: string[], table: string, referencedColumns: string[]): ForeignKey => ({
  name,
  columns,
  referencedSchema: 'public',
  referencedTable: table,
  referencedColumns,
});
const refRule = (table: string, column: string, transform: Transform, unique?: boolean): ColumnRule => ({ ...rule(column, transform, unique), table });

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

  it('neither suffixes nor warns for a transform whose output never repeats (SetNull: NULLs never collide)', () => {
    const nulls: Transform = { neverDuplicates: true, apply: () => null };
    const safety = decide([rule('ssn', nulls, undefined, 'SetNull')], [index('accounts_ssn_key', ['ssn'])]);
    expect(safety.columns.size).toBe(0);
    expect(safety.warnings).toEqual([]);
  });

  it('keeps unique: true without any index, and reports it as configured rather than by an index', () => {
    const safety = decide([rule('email', free, true)], []);
    expect(safety.columns.get('email')).toEqual({ kind: 'config' });
    expect(safety.summary).toBeUndefined();
  });

  it('gives a column referencing a unique-safe column the same unique-safe output, and warns when it cannot follow', () => {
    const owners = [refRule('users', 'email', free)];
    const safety = decide([rule('owner_email', free), rule('flag', fixed)], [], [fk('accounts_owner_fkey', ['owner_email'], 'users', ['email'])], owners);
    expect(safety.columns.get('owner_email')).toEqual({ kind: 'foreignKey', constraint: 'accounts_owner_fkey', references: 'public.users.email' });
    expect(safety.summary).toBe('public.accounts: unique-safe output for owner_email (foreign key accounts_owner_fkey to the unique-safe public.users.email)');
    // The referenced column opted out, or is not transformed: nothing to follow.
    expect(decide([rule('owner_email', free)], [], [fk('f', ['owner_email'], 'users', ['email'])], [refRule('users', 'email', free, false)]).columns.size).toBe(
      0,
    );
    expect(decide([rule('owner_email', free)], [], [fk('f', ['owner_email'], 'users', ['email'])], []).columns.size).toBe(0);
    const optedOut = decide([rule('owner_email', free, false)], [], [fk('f', ['owner_email'], 'users', ['email'])], owners);
    expect(optedOut.warnings).toEqual([expect.stringContaining('public.accounts.owner_email references the unique-safe public.users.email (foreign key f)')]);
  });

  it('gives keys a signature that changes with names and columns', () => {
    const keys = (uniqueIndexes: UniqueIndex[], foreignKeys: ForeignKey[] = []) => uniqueKeysSignature({ uniqueIndexes, foreignKeys });
    expect(keys([index('a', ['x'])])).toBe(keys([index('a', ['x'])]));
    expect(keys([index('a', ['x'])])).not.toBe(keys([index('a', ['y'])]));
    expect(keys([])).not.toBe(keys([index('a', ['x'])]));
    expect(keys([])).not.toBe(keys([], [fk('f', ['a'], 'users', ['email'])]));
  });
});

describe('TransformEngine with unique indexes', () => {
  const keysOf = (uniqueIndexes: UniqueIndex[]) => ({ uniqueIndexes, foreignKeys: [] });
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
      expect(before.email).toMatch(/^[a-z0-9.]+@example\.(com|net|org)$/);
      expect(engine.useUniqueKeys('public', 'accounts', keysOf([index('accounts_email_key', ['email']), index('accounts_alias_key', ['alias'])]))).toBe(true);
      const after = (await engine.transformRow(insert('public.accounts', COLUMNS, row))).new!;
      expect(after.email).toMatch(/^[a-z0-9.]+-[a-z2-7]{12}@example\.(com|net|org)$/);
      expect(after.email!.replace(/-[a-z2-7]{12}@/, '@')).toBe(before.email);
      expect(after.alias).toBe(before.alias);
      expect(after.name).toBe(before.name);
      await engine.transformRow(insert('public.accounts', COLUMNS, row));
      expect(engine.useUniqueKeys('public', 'accounts', keysOf([index('accounts_email_key', ['email']), index('accounts_alias_key', ['alias'])]))).toBe(false);
      await engine.transformRow(insert('public.accounts', COLUMNS, row));
      expect(logs.filter((l) => l.includes('unique-safe'))).toEqual(['public.accounts: unique-safe output for email (unique index accounts_email_key)']);
      expect(warnings.filter((w) => w.includes('unique: false'))).toHaveLength(1);
      for (const line of [...logs, ...warnings]) expect(line).not.toContain('ada@corp');
      // A preflight view changes nothing the engine uses.
      const view = engine.uniqueSafetyOf('public', 'accounts', COLUMNS, keysOf([index('accounts_name_key', ['name'])]));
      expect(view?.summary).toBe('public.accounts: unique-safe output for name (unique index accounts_name_key)');
      expect(engine.uniqueSafetyOf('public', 'orders', COLUMNS, keysOf([]))).toBeUndefined();
      expect((await engine.transformRow(insert('public.accounts', COLUMNS, row))).new!.name).toBe(before.name);
      // The index dropped: the plain fake again.
      engine.useUniqueKeys('public', 'accounts', keysOf([]));
      expect((await engine.transformRow(insert('public.accounts', COLUMNS, row))).new!.email).toBe(before.email);
    } finally {
      log.mockRestore();
      warn.mockRestore();
      await module.close();
    }
  });
});
