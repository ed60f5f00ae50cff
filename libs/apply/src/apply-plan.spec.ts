import { Position } from '@kasho/contracts';
import { col, ddl, insert, rowChange, transaction, truncate } from '../test/changes';
import { PlanError, planStatements } from './apply-plan';

const cols = [col('id', 'bigint', true, 20), col('name')];
const row = (i: number) => insert('users', cols, { id: String(i), name: `n${i}` });

describe('planStatements', () => {
  it('batches consecutive inserts with the same column set, up to the row cap', () => {
    const changes = transaction(
      100,
      Array.from({ length: 5 }, (_, i) => row(i)),
    );
    const plan = planStatements(changes, Position.ZERO, 2);
    expect(plan.map((s) => s.expectedRows)).toEqual([2, 2, 1]);
    expect(plan[0]).toMatchObject({
      kind: 'insert',
      schema: 'public',
      table: 'users',
      firstPosition: Position.parse('100-0'),
      lastPosition: Position.parse('100-1'),
    });
    expect(plan[2]).toMatchObject({ firstPosition: Position.parse('100-4'), lastPosition: Position.parse('100-4') });
    expect(plan[1].values).toEqual(['2', 'n2', '3', 'n3']);
  });

  it('caps a batch at 65535 parameters', () => {
    const wide = Array.from({ length: 100 }, (_, i) => col(`c${i}`));
    const tuple = Object.fromEntries(wide.map((c) => [c.name, 'v']));
    const changes = transaction(
      1,
      Array.from({ length: 700 }, () => insert('wide', wide, tuple)),
    );
    const plan = planStatements(changes, Position.ZERO, 1000);
    expect(plan.map((s) => s.expectedRows)).toEqual([655, 45]);
    expect(Math.max(...plan.map((s) => s.values.length))).toBeLessThanOrEqual(65535);
  });

  it('starts a new batch when the column set or table changes, and keeps DDL and truncate in order', () => {
    const changes = transaction(7, [
      row(1),
      insert('users', cols, { id: '2' }),
      insert('other', cols, { id: '3', name: 'x' }),
      ddl('ALTER TABLE users ADD c int'),
      row(4),
      truncate(['users']),
      rowChange('delete', 'users', cols, { old: { id: '4' } }),
    ]);
    const plan = planStatements(changes, Position.ZERO, 1000);
    expect(plan.map((s) => s.text.split(' ').slice(0, 3).join(' '))).toEqual([
      'INSERT INTO "public"."users"',
      'INSERT INTO "public"."users"',
      'INSERT INTO "public"."other"',
      "SELECT set_config('search_path', $1,",
      'ALTER TABLE users',
      'RESET search_path',
      'INSERT INTO "public"."users"',
      'TRUNCATE "public"."users"',
      'DELETE FROM "public"."users"',
    ]);
  });

  it('ignores commit entries but checks that positions increase past the applied one', () => {
    const changes = [...transaction(10, [row(1)]), ...transaction(20, [row(2)])];
    expect(planStatements(changes, Position.ZERO, 1000)).toHaveLength(1);
    expect(() => planStatements(changes, Position.parse('10-0'), 1000)).toThrow(PlanError);
    expect(() => planStatements(changes, Position.parse('10-0'), 1000)).toThrow('10-0 is not after 10-0');
    expect(() => planStatements([...changes].reverse(), Position.ZERO, 1000)).toThrow('not after');
  });

  it('reports the change it cannot render', () => {
    const bad = transaction(5, [row(1), rowChange('update', 'users', cols, { new: { name: 'x' } })]);
    try {
      planStatements(bad, Position.ZERO, 1000);
      throw new Error('expected a PlanError');
    } catch (err) {
      expect(err).toBeInstanceOf(PlanError);
      expect((err as PlanError).envelope.position.toString()).toBe('5-1');
    }
  });

  it('batches consecutive deletes by key, single or composite, and flushes them before anything else', () => {
    const del = (table: string, columns: typeof cols, old: Record<string, string | null>, identity = 'default') =>
      rowChange('delete', table, columns, { old }, identity);
    const pair = [col('a', 'integer', true, 23), col('b', 'text', true), col('v')];
    const changes = transaction(9, [
      del('users', cols, { id: '1' }),
      del('users', cols, { id: '2' }),
      del('users', cols, { id: '3' }),
      row(4),
      del('pairs', pair, { a: '1', b: "x'y" }),
      del('pairs', pair, { a: '2', b: 'z' }),
      del('users', cols, { id: '5' }),
      del('users', cols, { id: '6', name: 'n6' }, 'full'),
      del('users', cols, { id: '7' }),
    ]);
    const plan = planStatements(changes, Position.ZERO, 2);
    expect(plan.map((s) => [s.text, s.values, s.expectedRows])).toEqual([
      ['DELETE FROM "public"."users" WHERE "id" IN ($1,$2)', ['1', '2'], 2],
      ['DELETE FROM "public"."users" WHERE "id" IN ($1)', ['3'], 1],
      ['INSERT INTO "public"."users" ("id","name") OVERRIDING SYSTEM VALUE VALUES ($1,$2)', ['4', 'n4'], 1],
      ['DELETE FROM "public"."pairs" WHERE ("a","b") IN (($1,$2),($3,$4))', ['1', "x'y", '2', 'z'], 2],
      ['DELETE FROM "public"."users" WHERE "id" IN ($1)', ['5'], 1],
      // REPLICA IDENTITY FULL: one row by ctid, alone.
      ['DELETE FROM "public"."users" WHERE ctid = (SELECT ctid FROM "public"."users" WHERE "id" = $1 AND "name" = $2 LIMIT 1)', ['6', 'n6'], 1],
      ['DELETE FROM "public"."users" WHERE "id" IN ($1)', ['7'], 1],
    ]);
    expect(plan[0]).toMatchObject({ kind: 'delete', firstPosition: Position.parse('9-0'), lastPosition: Position.parse('9-1') });
  });

  it('deletes alone a row whose key is NULL or has no equality operator', () => {
    const json = [col('doc', 'json', true, 114), col('v')];
    const changes = transaction(3, [
      rowChange('delete', 'users', cols, { old: { id: null } }),
      rowChange('delete', 'docs', json, { old: { doc: '{}' } }),
      rowChange('delete', 'docs', json, { old: { doc: '[]' } }),
    ]);
    const plan = planStatements(changes, Position.ZERO, 1000);
    expect(plan.map((s) => s.text)).toEqual([
      'DELETE FROM "public"."users" WHERE "id" IS NULL',
      'DELETE FROM "public"."docs" WHERE "doc"::text = $1::text',
      'DELETE FROM "public"."docs" WHERE "doc"::text = $1::text',
    ]);
  });

  it('batches consecutive updates by key of the same columns; a repeated key, a key change or FULL identity starts anew', () => {
    const three = [col('id', 'bigint', true, 20), col('name'), col('bio')];
    const upd = (images: { new: Record<string, string | null>; old?: Record<string, string | null>; unchangedToast?: string[] }, identity = 'default') =>
      rowChange('update', 'users', three, images, identity);
    const changes = transaction(4, [
      upd({ new: { id: '1', name: 'a', bio: 'x' } }),
      upd({ new: { id: '2', name: 'b', bio: 'y' } }),
      upd({ new: { id: '1', name: 'c', bio: 'z' } }), // id 1 again: after the first two
      upd({ new: { id: '3', name: 'd', bio: 'w' }, unchangedToast: ['bio'] }), // other columns set
      upd({ new: { id: '9', name: 'e', bio: 'v' }, old: { id: '4' } }), // key change: alone
      upd({ new: { id: '5', name: 'f', bio: 'u' } }, 'full'),
    ]);
    const plan = planStatements(changes, Position.ZERO, 1000);
    expect(plan.map((s) => [s.text.replace(/ FROM \(VALUES .*\) AS kasho_v/, ' FROM (…) AS kasho_v'), s.values, s.expectedRows])).toEqual([
      [
        'UPDATE "public"."users" AS kasho_t SET "name" = kasho_v."name", "bio" = kasho_v."bio" FROM (…) AS kasho_v ("id","name","bio") WHERE kasho_t."id" = kasho_v."id"',
        ['1', 'a', 'x', '2', 'b', 'y'],
        2,
      ],
      [
        'UPDATE "public"."users" AS kasho_t SET "name" = kasho_v."name", "bio" = kasho_v."bio" FROM (…) AS kasho_v ("id","name","bio") WHERE kasho_t."id" = kasho_v."id"',
        ['1', 'c', 'z'],
        1,
      ],
      ['UPDATE "public"."users" AS kasho_t SET "name" = kasho_v."name" FROM (…) AS kasho_v ("id","name") WHERE kasho_t."id" = kasho_v."id"', ['3', 'd'], 1],
      ['UPDATE "public"."users" SET "id"=$1,"name"=$2,"bio"=$3 WHERE "id" = $4', ['9', 'e', 'v', '4'], 1],
      [
        'UPDATE "public"."users" SET "name"=$1,"bio"=$2 WHERE ctid = (SELECT ctid FROM "public"."users" WHERE "id" = $3 AND "name" = $4 AND "bio" = $5 LIMIT 1)',
        ['f', 'u', '5', 'f', 'u'],
        1,
      ],
    ]);
    expect(plan[0].text).toContain(
      'FROM (VALUES ((SELECT "id" FROM "public"."users" LIMIT 0),(SELECT "name" FROM "public"."users" LIMIT 0),(SELECT "bio" FROM "public"."users" LIMIT 0)),($1,$2,$3),($4,$5,$6)) AS kasho_v',
    );
  });
});
