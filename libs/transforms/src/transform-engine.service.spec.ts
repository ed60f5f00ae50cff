import type { RowChange } from '@kasho/contracts';
import { bootEngine, col, insert, TEST_SECRET } from '../test/engine-fixture';
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
    expect(a.new!.handle).toBe(a.new!.name!.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
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
      kind: 'update', schema: 'public', table: 'users', columns: COLUMNS,
      new: { id: '1', name: 'X Y' }, unchangedToast: ['note'], replicaIdentity: 'default',
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
    await expect(engine.transformTuple('public', 't', [col('n', 'int4')], { n: '5' })).rejects.toThrow(
      /public\.t\.n: FakeName: output is not an integer/,
    );
    await expect(engine.transformTuple('public', 't', [col('n', 'int4')], { n: '5' })).rejects.toBeInstanceOf(TransformError);
    await module.close();
  });

  it('rejects a configured column the table does not have, and template references to missing columns', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    await expect(engine.transformTuple('public', 'users', [col('id'), col('name')], { id: '1' })).rejects.toThrow(
      /public\.users\.email: configured in transforms.yml but the table has no such column/,
    );
    await module.close();
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
