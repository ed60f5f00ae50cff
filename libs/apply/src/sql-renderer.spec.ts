import { col, rowChange, truncate, ddl } from '../test/changes';
import { insertRowCap, renderDdl, renderDelete, renderInsert, renderTruncate, renderUpdate } from './sql-renderer';

const id = col('id', 'bigint', true, 20);
const name = col('name');
const bio = col('bio');

describe('renderInsert', () => {
  it('renders a multi-row INSERT with one parameter per value, values never in the text', () => {
    const s = renderInsert(
      { schema: 'public', table: 'users' },
      ['id', 'name'],
      [
        ['1', "O'Brien"],
        ['2', null],
      ],
    );
    expect(s.text).toBe('INSERT INTO "public"."users" ("id","name") OVERRIDING SYSTEM VALUE VALUES ($1,$2),($3,$4)');
    expect(s.values).toEqual(['1', "O'Brien", '2', null]);
    expect(s.expectedRows).toBe(2);
  });

  it('quotes odd identifiers', () => {
    const s = renderInsert({ schema: 's"x', table: 'T' }, ['a"b'], [['v']]);
    expect(s.text).toBe('INSERT INTO "s""x"."T" ("a""b") OVERRIDING SYSTEM VALUE VALUES ($1)');
  });

  it('uses DEFAULT VALUES for a row without columns', () => {
    expect(renderInsert({ schema: 'public', table: 't' }, [], [[]]).text).toBe('INSERT INTO "public"."t" DEFAULT VALUES');
  });

  it('caps rows by maxRowsPerStatement and by 65535 parameters', () => {
    expect(insertRowCap(5, 1000)).toBe(1000);
    expect(insertRowCap(100, 1000)).toBe(655);
    expect(insertRowCap(70000, 1000)).toBe(1);
    expect(insertRowCap(0, 1000)).toBe(1);
    const rows = Array.from({ length: 656 }, () => Array.from({ length: 100 }, () => 'x'));
    expect(() =>
      renderInsert(
        { schema: 'p', table: 't' },
        Array.from({ length: 100 }, (_, i) => `c${i}`),
        rows,
      ),
    ).toThrow('65535');
  });
});

describe('renderUpdate', () => {
  it('sets the non-key columns and finds the row by the key taken from new', () => {
    const s = renderUpdate(rowChange('update', 'users', [id, name, bio], { new: { id: '7', name: 'n', bio: 'b' } }));
    expect(s.text).toBe('UPDATE "public"."users" SET "name"=$1,"bio"=$2 WHERE "id" = $3');
    expect(s.values).toEqual(['n', 'b', '7']);
    expect(s.expectedRows).toBe(1);
  });

  it('leaves unchanged TOAST columns and columns absent from new out of SET', () => {
    const listed = renderUpdate(rowChange('update', 'users', [id, name, bio], { new: { id: '7', name: 'n', bio: 'ignored' }, unchangedToast: ['bio'] }));
    expect(listed.text).toBe('UPDATE "public"."users" SET "name"=$1 WHERE "id" = $2');
    const absent = renderUpdate(rowChange('update', 'users', [id, name, bio], { new: { id: '7', name: null } }));
    expect(absent.text).toBe('UPDATE "public"."users" SET "name"=$1 WHERE "id" = $2');
    expect(absent.values).toEqual([null, '7']);
  });

  it('finds the row by the old key on a primary key change, and sets the key', () => {
    const s = renderUpdate(rowChange('update', 'users', [id, name], { old: { id: '7' }, new: { id: '8', name: 'n' } }));
    expect(s.text).toBe('UPDATE "public"."users" SET "id"=$1,"name"=$2 WHERE "id" = $3');
    expect(s.values).toEqual(['8', 'n', '7']);
  });

  it('ignores non-key columns of old outside REPLICA IDENTITY FULL', () => {
    const s = renderUpdate(rowChange('update', 'users', [id, name], { old: { id: '7', name: null }, new: { id: '8', name: 'n' } }));
    expect(s.text).toBe('UPDATE "public"."users" SET "id"=$1,"name"=$2 WHERE "id" = $3');
  });

  it('matches exactly one row by ctid under REPLICA IDENTITY FULL, NULLs with IS NULL, json as text, absent columns skipped', () => {
    const cols = [col('a', 'integer', true, 23), col('j', 'json', true, 114), col('n', 'text', true), col('t', 'text', true)];
    const s = renderUpdate(
      rowChange('update', 'dups', cols, { old: { a: '1', j: '{"x": 1}', n: null }, new: { a: '2', j: '{}', n: null }, unchangedToast: ['t'] }, 'full'),
    );
    expect(s.text).toBe(
      'UPDATE "public"."dups" SET "a"=$1,"j"=$2,"n"=$3 WHERE ctid = (SELECT ctid FROM "public"."dups" WHERE "a" = $4 AND "j"::text = $5::text AND "n" IS NULL LIMIT 1)',
    );
    expect(s.values).toEqual(['2', '{}', null, '1', '{"x": 1}']);
  });

  it('checks the row still exists when nothing is left to set', () => {
    const s = renderUpdate(rowChange('update', 'users', [id, bio], { new: { id: '7' }, unchangedToast: ['bio'] }));
    expect(s.text).toBe('SELECT 1 FROM "public"."users" WHERE "id" = $1');
    expect(s.expectedRows).toBe(1);
  });

  it('refuses to update without a replica identity or with unknown columns', () => {
    expect(() => renderUpdate(rowChange('update', 'nokey', [name], { new: { name: 'x' } }))).toThrow('no replica identity');
    expect(() => renderUpdate(rowChange('update', 'users', [id], { new: { id: '1', nope: 'x' } }))).toThrow('"nope"');
    expect(() => renderUpdate(rowChange('update', 'users', [id, name], { new: { name: 'x' } }))).toThrow('key column "id"');
  });
});

describe('renderDelete', () => {
  it('deletes by the old key', () => {
    const s = renderDelete(rowChange('delete', 'users', [id, name], { old: { id: '7' } }));
    expect(s.text).toBe('DELETE FROM "public"."users" WHERE "id" = $1');
    expect(s.values).toEqual(['7']);
  });

  it('deletes exactly one of duplicate rows by ctid under REPLICA IDENTITY FULL', () => {
    const cols = [col('a', 'integer', true, 23), col('b', 'text', true)];
    const s = renderDelete(rowChange('delete', 'dups', cols, { old: { a: '1', b: 'x' } }, 'full'));
    expect(s.text).toBe('DELETE FROM "public"."dups" WHERE ctid = (SELECT ctid FROM "public"."dups" WHERE "a" = $1 AND "b" = $2 LIMIT 1)');
  });
});

describe('renderTruncate / renderDdl', () => {
  it('renders TRUNCATE with its options', () => {
    expect(renderTruncate(truncate(['a', 'b'])).text).toBe('TRUNCATE "public"."a", "public"."b"');
    expect(renderTruncate(truncate(['a'], { restartIdentity: true, cascade: true })).text).toBe('TRUNCATE "public"."a" RESTART IDENTITY CASCADE');
    expect(() => renderTruncate(truncate([]))).toThrow('no relation');
  });

  it('runs DDL under the source search_path, passed as a parameter, then restores it', () => {
    const [set, run, reset] = renderDdl(ddl('CREATE TABLE x (a int)', 'app, public'));
    expect(set).toEqual({ text: `SELECT set_config('search_path', $1, true)`, values: ['app, public'] });
    expect(run).toEqual({ text: 'CREATE TABLE x (a int)', values: [] });
    expect(reset.text).toBe('RESET search_path');
  });
});
