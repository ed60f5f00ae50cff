import { Position, RowChange } from '@kasho/contracts';
import { bootEngine, col, insert, TEST_SECRET } from '@kasho/testing/transforms';
import { TransformError } from './transform.errors';

const CONFIG = `
version: v1
tables:
  public.users:
    id: FakeDigits
    name: FakeName
    email: {type: FakeEmail, unique: true}
    note: {type: Regex, pattern: '(\\d{3})-(\\d{4})', replacement: 'XXX-$2'}
    handle: {type: Template, template: '{{.name | slugify}}'}
`;
const COLUMNS = [col('id', 'text', true), col('name'), col('email'), col('note'), col('handle'), col('age', 'int4')];

describe('TransformEngine', () => {
  it('transforms configured columns deterministically, leaves others and NULL alone', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    const row = { id: '42', name: 'John Doe', email: 'john@corp.com', note: 'call 555-1234', handle: 'jd', age: '30' };
    const a = await engine.transformRow(insert('public.users', COLUMNS, row));
    const b = await engine.transformRow(insert('public.users', COLUMNS, { ...row }));
    expect(a.new).toEqual(b.new);
    expect(a.new!.age).toBe('30');
    expect(a.new!.name).not.toBe('John Doe');
    expect(a.new!.name).toMatch(/^\S+ \S+/);
    expect(a.new!.email).toMatch(/^[a-z0-9.]+-[a-z2-7]{12}@example\.(com|net|org)$/);
    expect(a.new!.note).toBe('call XXX-1234');
    expect(a.new!.handle).toBe(
      a
        .new!.name!.toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
    );
    expect(a.new!.id).toMatch(/^\d{10}$/);
    const nulls = await engine.transformRow(insert('public.users', COLUMNS, { ...row, name: null, email: null }));
    expect(nulls.new!.name).toBeNull();
    expect(nulls.new!.email).toBeNull();
    await module.close();
  });

  it('transforms the old key of updates and deletes with the same transform', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    const ins = await engine.transformRow(insert('public.users', COLUMNS, { id: '7', name: 'A B' }));
    const del: RowChange = { kind: 'delete', schema: 'public', table: 'users', columns: COLUMNS, old: { id: '7' }, replicaIdentity: 'default' };
    expect((await engine.transformRow(del)).old!.id).toBe(ins.new!.id);
    await module.close();
  });

  it('keeps absent (unchanged TOAST) columns absent', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    const upd: RowChange = {
      kind: 'update',
      schema: 'public',
      table: 'users',
      columns: COLUMNS,
      new: { id: '1', name: 'X Y' },
      unchangedToast: ['note'],
      replicaIdentity: 'default',
    };
    const out = await engine.transformRow(upd);
    expect('note' in out.new!).toBe(false);
    await module.close();
  });

  it('depends on the secret', async () => {
    const a = await bootEngine(CONFIG, { secret: TEST_SECRET });
    const b = await bootEngine(CONFIG, { secret: 'another-secret' });
    const row = { name: 'John Doe' };
    const cols = COLUMNS;
    const outA = await a.engine.transformTuple('public', 'users', cols, row);
    const outB = await b.engine.transformTuple('public', 'users', cols, row);
    expect(outA.name).not.toBe(outB.name);
    await a.module.close();
    await b.module.close();
  });

  it('fails closed, naming table.column, when the output does not fit the column', async () => {
    const { engine, module } = await bootEngine('version: v1\ntables:\n  public.t:\n    n: FakeName\n');
    await expect(engine.transformTuple('public', 't', [col('n', 'int4')], { n: '5' })).rejects.toThrow(/public\.t\.n: FakeName: output is not an integer/);
    await expect(engine.transformTuple('public', 't', [col('n', 'int4')], { n: '5' })).rejects.toBeInstanceOf(TransformError);
    await module.close();
  });

  it('keeps a rule on a column the table does not have yet inactive, and applies it from the change that carries it', async () => {
    const { Logger } = await import('@nestjs/common');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { engine, module } = await bootEngine(
      'version: v1\ntables:\n  public.users:\n    name: FakeName\n    phone: {type: Regex, pattern: "\\\\d", replacement: "#"}\n',
    );
    const before = await engine.transformRow(insert('public.users', [col('id'), col('name')], { id: '1', name: 'Ann Lee' }));
    expect(before.new!.id).toBe('1');
    expect(before.new!.name).not.toBe('Ann Lee');
    expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(
      expect.stringMatching(/^public\.users\.phone: the table has no such column \(yet\); its Regex rule is inactive until a change carries the column/),
    );
    // ALTER TABLE users ADD COLUMN phone: the next relation carries it, and the rule applies at once.
    const after = await engine.transformRow(insert('public.users', [col('id'), col('name'), col('phone')], { id: '2', name: 'Bo', phone: '555-1234' }));
    expect(after.new!.phone).toBe('###-####');
    warn.mockRestore();
    await module.close();
  });

  it('still rejects a row transform reading a column the table does not have', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    await expect(engine.transformTuple('public', 'users', [col('id'), col('handle')], { id: '1', handle: 'h' })).rejects.toThrow(
      /public\.users\.handle: Template references column 'name', which the table does not have/,
    );
    await module.close();
  });

  describe('mode: strict', () => {
    const STRICT = 'version: v1\nmode: strict\ntables:\n  public.users:\n    id: Keep\n    name: FakeName\n';

    it('passes a table whose every column is listed (Keep columns as they are)', async () => {
      const { engine, module } = await bootEngine(STRICT);
      const out = await engine.transformRow(insert('public.users', [col('id', 'text', true), col('name')], { id: '7', name: 'Ann Lee' }));
      expect(out.new!.id).toBe('7');
      expect(out.new!.name).not.toBe('Ann Lee');
      await module.close();
    });

    it('refuses a change carrying an unlisted column (added by DDL), naming schema.table.column and not the value', async () => {
      const { engine, module } = await bootEngine(STRICT);
      const change = insert('public.users', [col('id', 'text', true), col('name'), col('phone')], { id: '7', name: 'Ann', phone: '555-0101' });
      const err = await engine.transformRow(change).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TransformError);
      expect((err as TransformError).message).toMatch(/^public\.users\.phone: not listed in .*transforms\.yml; mode: strict/);
      expect((err as TransformError).message).not.toContain('555-0101');
      expect((err as TransformError).at(Position.parse('100-3')).message).toMatch(/^public\.users\.phone at position 100-3: /);
      await module.close();
    });

    it('refuses a table that is not listed at all, and exempts kasho.*', async () => {
      const { engine, module } = await bootEngine(STRICT);
      await expect(engine.transformRow(insert('public.orders', [col('id'), col('total')], { id: '1', total: '2' }))).rejects.toThrow(
        /^public\.orders\.id: not listed in .*\(table public\.orders is not listed at all\).*also not listed: public\.orders\.total/,
      );
      const own = insert('kasho.heartbeat', [col('id')], { id: '1' });
      expect(await engine.transformRow(own)).toBe(own);
      await module.close();
    });

    it('assertListed checks whole tables (the snapshot path) and is silent in permissive mode', async () => {
      const strict = await bootEngine(STRICT);
      expect(() => strict.engine.assertListed([{ schema: 'public', table: 'users', columns: ['id', 'name'] }])).not.toThrow();
      expect(() => strict.engine.assertListed([{ schema: 'public', table: 'users', columns: ['id', 'name', 'ssn'] }])).toThrow(
        /public\.users\.ssn: not listed/,
      );
      const permissive = await bootEngine(CONFIG);
      expect(() => permissive.engine.assertListed([{ schema: 'public', table: 'other', columns: ['a'] }])).not.toThrow();
      expect(permissive.engine.mode).toBe('permissive');
      await strict.module.close();
      await permissive.module.close();
    });
  });

  it('without a secret still starts, unkeyed, and warns loudly once', async () => {
    const { Logger } = await import('@nestjs/common');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { engine, module } = await bootEngine(CONFIG, { secret: null });
    expect(engine.keyed).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/TRANSFORMS_SECRET is not set/);
    warn.mockRestore();
    await module.close();
  });

  it('passes tables without rules through untouched', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    const change = insert('public.other', [col('a')], { a: 'x' });
    expect(engine.hasRules('public', 'other')).toBe(false);
    expect(engine.hasRules('public', 'users')).toBe(true);
    expect(await engine.transformRow(change)).toBe(change);
    await module.close();
  });
});
