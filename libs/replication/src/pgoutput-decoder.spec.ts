import { ChangeEnvelope, CommitChange, DdlChange, Position, RowChange, TruncateChange } from '@kasho/contracts';
import { Pgoutput } from 'pg-logical-replication';
import { loadSqlGrammar } from '@kasho/sql-grammar';
import { PgoutputDecoder, splitIdentity } from './pgoutput-decoder';
import { DdlCaptureError } from './replication.errors';

function relation(
  schema: string,
  name: string,
  cols: Array<[string, number, number?]>,
  replicaIdentity: Pgoutput.MessageRelation['replicaIdentity'] = 'default',
  typeNames: Record<string, [string, string]> = {},
): Pgoutput.MessageRelation {
  const columns = cols.map(([colName, typeOid, flags = 0]) => ({
    name: colName,
    flags,
    typeOid,
    typeMod: typeOid === 1700 ? ((10 << 16) | 2) + 4 : -1,
    typeSchema: typeNames[colName]?.[0] ?? null,
    typeName: typeNames[colName]?.[1] ?? null,
    parser: (s: string) => s,
  }));
  return { tag: 'relation', relationOid: 1, schema, name, replicaIdentity, columns, keyColumns: columns.filter((c) => c.flags & 1).map((c) => c.name) };
}

const users = relation(
  'public',
  'users',
  [
    ['id', 20, 1],
    ['name', 25],
    ['balance', 1700],
    ['mood', 16390],
  ],
  'default',
  { mood: ['public', 'mood'] },
);
const ddlLog = relation('kasho', 'ddl_log', [
  ['id', 20, 1],
  ['txid', 20],
  ['ordinal', 23],
  ['tag', 25],
  ['object', 25],
  ['search_path', 25],
  ['query', 25],
  ['created_at', 1184],
  ['skip', 25],
  ['derived', 3802],
]);

const begin = (lsn: string, xid = 7): Pgoutput.MessageBegin => ({ tag: 'begin', commitLsn: lsn, commitTime: 1700000000000001n, xid });
const commit = (lsn: string, end: string): Pgoutput.MessageCommit => ({
  tag: 'commit',
  flags: 0,
  commitLsn: lsn,
  commitEndLsn: end,
  commitTime: 1700000000000001n,
});
const insert = (rel: Pgoutput.MessageRelation, row: Record<string, unknown>): Pgoutput.MessageInsert => ({ tag: 'insert', relation: rel, new: row });
const ddlRow = (query: string, ordinal: number, tag: string, object = 'public.t', skip: string | null = null, derived: string | null = null) =>
  insert(ddlLog, { id: '1', txid: '900', ordinal: String(ordinal), tag, object, search_path: '"$user", public', query, created_at: 'x', skip, derived });
/** A nested firing (ordinal 0) as the event trigger logs it, `derived` being jsonb's text form. */
const nestedRow = (tag: string, object: string, derived: unknown) =>
  ddlRow(`DO 'BEGIN ${tag} x; END'`, 0, tag, object, null, derived === null ? null : JSON.stringify(derived));

function run(decoder: PgoutputDecoder, messages: Pgoutput.Message[]): ChangeEnvelope[][] {
  return messages.map((m) => decoder.push(m)).filter((chunk) => chunk.length > 0);
}

describe('PgoutputDecoder', () => {
  beforeAll(loadSqlGrammar);

  it('positions changes by commit LSN and index, ending with the commit entry', () => {
    const chunks = run(new PgoutputDecoder(), [
      users,
      begin('00000000/00000100'),
      insert(users, { id: '1', name: 'a', balance: '1.50', mood: 'ok' }),
      insert(users, { id: '2', name: 'b', balance: null, mood: null }),
      commit('00000000/00000100', '00000000/00000130'),
    ]);
    expect(chunks).toHaveLength(1);
    expect(chunks[0].map((e) => e.position.toString())).toEqual(['256-0', '256-1', '256-2']);
    const first = chunks[0][0].change as RowChange;
    expect(first).toEqual({
      kind: 'insert',
      schema: 'public',
      table: 'users',
      columns: [
        { name: 'id', type: 'bigint', typeOid: 20, typeMod: -1, key: true },
        { name: 'name', type: 'text', typeOid: 25, typeMod: -1, key: false },
        { name: 'balance', type: 'numeric(10,2)', typeOid: 1700, typeMod: ((10 << 16) | 2) + 4, key: false },
        { name: 'mood', type: 'public.mood', typeOid: 16390, typeMod: -1, key: false },
      ],
      new: { id: '1', name: 'a', balance: '1.50', mood: 'ok' },
      replicaIdentity: 'default',
    });
    expect(chunks[0][2].change).toEqual<CommitChange>({ kind: 'commit', xid: 7, commitEndLsn: '304', commitTimeMicros: '1700000000000001', changeCount: 2 });
  });

  it('orders interleaved transactions by commit: the later-begun one that commits first comes first', () => {
    const decoder = new PgoutputDecoder();
    // pgoutput sends T2 (committed at 0/200) before T1 (committed at 0/300), although T1 began first.
    const t2 = run(decoder, [begin('0/200', 12), insert(users, { id: '2', name: 'b', balance: '0', mood: 'ok' }), commit('0/200', '0/228')]);
    const t1 = run(decoder, [begin('0/300', 11), insert(users, { id: '1', name: 'a', balance: '0', mood: 'ok' }), commit('0/300', '0/328')]);
    expect([...t2[0], ...t1[0]].map((e) => e.position.toString())).toEqual(['512-0', '512-1', '768-0', '768-1']);
    expect((t1[0][1].change as CommitChange).xid).toBe(11);
  });

  it('emits the commit entry of a transaction with no published change', () => {
    const chunks = run(new PgoutputDecoder(), [begin('0/400'), insert(relation('kasho', 'other', [['x', 25]]), { x: 'y' }), commit('0/400', '0/428')]);
    expect(chunks).toEqual([
      [{ position: Position.parse('1024-0'), change: expect.objectContaining({ kind: 'commit', changeCount: 0, commitEndLsn: '1064' }) }],
    ]);
  });

  it('flushes every chunkSize changes; the last chunk ends with the commit', () => {
    const decoder = new PgoutputDecoder({ chunkSize: 2 });
    const rows = [1, 2, 3].map((i) => insert(users, { id: String(i), name: 'n', balance: '0', mood: 'ok' }));
    const chunks = run(decoder, [begin('0/500'), ...rows, commit('0/500', '0/528')]);
    expect(chunks.map((c) => c.map((e) => e.position.toString()))).toEqual([
      ['1280-0', '1280-1'],
      ['1280-2', '1280-3'],
    ]);
    expect(decoder.inTransaction).toBe(false);
  });

  it('also flushes once a chunk reaches chunkBytes, so big rows are not held together; one bigger row goes alone', () => {
    const decoder = new PgoutputDecoder({ chunkSize: 1000, chunkBytes: 10_000 });
    const big = (id: number, size: number) => insert(users, { id: String(id), name: 'x'.repeat(size), balance: '0', mood: 'ok' });
    const chunks = run(decoder, [begin('0/700'), big(1, 4_000), big(2, 4_000), big(3, 4_000), big(4, 50_000), big(5, 10), commit('0/700', '0/728')]);
    expect(chunks.map((c) => c.map((e) => e.position.toString()))).toEqual([['1792-0', '1792-1', '1792-2'], ['1792-3'], ['1792-4', '1792-5']]);
  });

  it('keeps NULL and the empty string apart, and lists unchanged TOAST columns instead of sending them', () => {
    const chunks = run(new PgoutputDecoder(), [
      begin('0/600'),
      { tag: 'update', relation: users, key: null, old: null, new: { id: '1', name: '', balance: null, mood: undefined } },
      commit('0/600', '0/628'),
    ]);
    const update = chunks[0][0].change as RowChange;
    expect(update.new).toEqual({ id: '1', name: '', balance: null });
    expect(Object.keys(update.new!)).toEqual(['id', 'name', 'balance']);
    expect(update.unchangedToast).toEqual(['mood']);
    expect(update.old).toBeUndefined();
  });

  it('maps the old key (key change) and the full old row (REPLICA IDENTITY FULL)', () => {
    const full = relation(
      'public',
      'audit',
      [
        ['a', 25, 1],
        ['b', 25, 1],
      ],
      'full',
    );
    const chunks = run(new PgoutputDecoder(), [
      begin('0/700'),
      { tag: 'update', relation: users, key: { id: '1' }, old: null, new: { id: '9', name: 'x', balance: '1', mood: 'ok' } },
      { tag: 'delete', relation: users, key: { id: '9' }, old: null },
      { tag: 'delete', relation: full, key: null, old: { a: 'x', b: null } },
      commit('0/700', '0/728'),
    ]);
    const [upd, del, delFull] = chunks[0].map((e) => e.change as RowChange);
    expect(upd.old).toEqual({ id: '1' });
    expect(del).toMatchObject({ kind: 'delete', old: { id: '9' } });
    expect(del.new).toBeUndefined();
    expect(delFull).toMatchObject({ kind: 'delete', old: { a: 'x', b: null }, replicaIdentity: 'full' });
  });

  it('turns a kasho.ddl_log insert into a DDL change in place, and drops other kasho-schema changes', () => {
    const query = "INSERT INTO t VALUES ('a;b'); CREATE TABLE kasho.x (); CREATE TABLE t2 (x text DEFAULT 'it''s; ok'); ALTER TABLE t2 ADD y int; SELECT 1";
    const chunks = run(new PgoutputDecoder(), [
      begin('0/800'),
      insert(users, { id: '1', name: 'a', balance: '0', mood: 'ok' }),
      ddlRow(query, 1, 'CREATE TABLE', 'kasho.x', 'kasho schema'),
      ddlRow(query, 2, 'CREATE TABLE', 'public.t2'),
      ddlRow(query, 3, 'ALTER TABLE', 'public.t2'),
      ddlRow('DO $$ BEGIN CREATE PUBLICATION p FOR ALL TABLES; END $$', 0, 'CREATE PUBLICATION', '', 'replication setting'),
      { tag: 'delete', relation: ddlLog, key: { id: '1' }, old: null },
      { tag: 'truncate', cascade: false, restartIdentity: true, relations: [ddlLog, users] },
      commit('0/800', '0/828'),
    ]);
    const changes = chunks[0].map((e) => e.change);
    expect(changes.map((c) => c.kind)).toEqual(['insert', 'ddl', 'ddl', 'truncate', 'commit']);
    expect(changes[1]).toEqual<DdlChange>({
      kind: 'ddl',
      sql: "CREATE TABLE t2 (x text DEFAULT 'it''s; ok')",
      searchPath: '"$user", public',
      tag: 'CREATE TABLE',
      object: 'public.t2',
    });
    expect((changes[2] as DdlChange).sql).toBe('ALTER TABLE t2 ADD y int');
    expect(changes[3]).toEqual<TruncateChange>({ kind: 'truncate', relations: [{ schema: 'public', table: 'users' }], cascade: false, restartIdentity: true });
    expect(chunks[0][4].position.toString()).toBe('2048-4');
  });

  it('replays DDL run inside a DO block as the statements derived at firing time, schema-qualified, in place', () => {
    const skipped: unknown[] = [];
    const chunks = run(new PgoutputDecoder({ onSkippedDdl: (s) => skipped.push(s) }), [
      begin('0/800'),
      nestedRow('CREATE TABLE', 'public.t', {
        statements: [
          { tag: 'CREATE SEQUENCE', object: 'public.t_id_seq', sql: 'CREATE SEQUENCE public.t_id_seq AS integer' },
          { tag: 'CREATE TABLE', object: 'public.t', sql: "CREATE TABLE public.t (id integer DEFAULT nextval('public.t_id_seq'::regclass) NOT NULL)" },
        ],
        skipped: [],
      }),
      insert(users, { id: '1', name: 'a', balance: '0', mood: 'ok' }),
      nestedRow('CREATE TYPE', 'public.mood', {
        statements: [{ tag: 'CREATE TYPE', object: 'public.mood', sql: "CREATE TYPE public.mood AS ENUM ('a', 'b')" }],
        skipped: [],
      }),
      commit('0/800', '0/828'),
    ]);
    expect(skipped).toEqual([]);
    expect(chunks[0].map((e) => [e.position.toString(), e.change.kind])).toEqual([
      ['2048-0', 'ddl'],
      ['2048-1', 'ddl'],
      ['2048-2', 'insert'],
      ['2048-3', 'ddl'],
      ['2048-4', 'commit'],
    ]);
    expect(chunks[0][0].change).toEqual<DdlChange>({
      kind: 'ddl',
      sql: 'CREATE SEQUENCE public.t_id_seq AS integer',
      searchPath: 'pg_catalog',
      tag: 'CREATE SEQUENCE',
      object: 'public.t_id_seq',
    });
    expect(chunks[0][3].change).toMatchObject({ sql: "CREATE TYPE public.mood AS ENUM ('a', 'b')", searchPath: 'pg_catalog', object: 'public.mood' });
  });

  it('skips nested DDL that was not derived, reporting tag and object only, and goes on', () => {
    const skipped: unknown[] = [];
    const chunks = run(new PgoutputDecoder({ onSkippedDdl: (s) => skipped.push(s) }), [
      begin('0/800'),
      nestedRow('CREATE AGGREGATE', 'public.agg(integer)', { statements: [], skipped: [{ tag: 'CREATE AGGREGATE', object: 'aggregate public.agg(integer)' }] }),
      // A row logged by capture v1 (no derived column value) names itself.
      nestedRow('ALTER TABLE', 'public.t', null),
      insert(users, { id: '1', name: 'a', balance: '0', mood: 'ok' }),
      commit('0/800', '0/828'),
    ]);
    expect(skipped).toEqual([
      { tag: 'CREATE AGGREGATE', object: 'aggregate public.agg(integer)', txid: '900' },
      { tag: 'ALTER TABLE', object: 'public.t', txid: '900' },
    ]);
    expect(chunks[0].map((e) => e.change.kind)).toEqual(['insert', 'commit']);
  });

  it('fails closed on a derived column it cannot read', () => {
    const decoder = new PgoutputDecoder();
    decoder.push(begin('0/900'));
    expect(() => decoder.push(ddlRow('DO x', 0, 'CREATE TABLE', 'public.t', null, '{"statements": ['))).toThrow(DdlCaptureError);
    expect(() =>
      decoder.push(nestedRow('CREATE TABLE', 'public.t', { statements: [{ tag: 'CREATE TABLE', object: 'public.t', sql: '' }], skipped: [] })),
    ).toThrow(/ddl_log id 1: its derived column does not hold/);
    expect(() => decoder.push(nestedRow('CREATE TABLE', 'public.t', { statements: [] }))).toThrow(DdlCaptureError);
  });

  it('fails closed, naming the txid and tag, when a DDL row cannot be matched', () => {
    const decoder = new PgoutputDecoder();
    decoder.push(begin('0/900'));
    expect(() => decoder.push(ddlRow('CREATE TABLE a()', 2, 'CREATE TABLE'))).toThrow(/transaction 900.*fewer than the firing's ordinal 2/);
    expect(() => decoder.push(ddlRow('CREATE TABLE a()', 1, 'DROP TABLE'))).toThrow(/"DROP TABLE".*does not fit the tag/);
  });

  it('moves a CREATE TABLE AS in front of the rows pgoutput sent before it, shifting their positions', () => {
    const copy = relation('public', 'Copy', [['a', 23]]);
    const q = 'CREATE TABLE "Copy" AS SELECT g AS a FROM generate_series(1, 2) g';
    const chunks = run(new PgoutputDecoder(), [
      begin('0/800'),
      insert(users, { id: '1', name: 'a', balance: '0', mood: 'ok' }),
      insert(copy, { a: '1' }),
      insert(copy, { a: '2' }),
      ddlRow(q, 1, 'CREATE TABLE AS', 'public."Copy"'),
      commit('0/800', '0/828'),
    ]);
    expect(chunks[0].map((e) => [e.position.toString(), e.change.kind])).toEqual([
      ['2048-0', 'insert'],
      ['2048-1', 'ddl'],
      ['2048-2', 'insert'],
      ['2048-3', 'insert'],
      ['2048-4', 'commit'],
    ]);
    expect((chunks[0][4].change as CommitChange).changeCount).toBe(4);
  });

  it('leaves a CREATE TABLE AS in place when some of its rows were already handed on', () => {
    const copy = relation('public', 'copy', [['a', 23]]);
    const chunks = run(new PgoutputDecoder({ chunkSize: 2 }), [
      begin('0/800'),
      insert(copy, { a: '1' }),
      insert(copy, { a: '2' }),
      insert(copy, { a: '3' }),
      ddlRow('CREATE TABLE copy AS SELECT 1 AS a', 1, 'CREATE TABLE AS', 'public.copy'),
      commit('0/800', '0/828'),
    ]);
    expect(chunks.flat().map((e) => e.change.kind)).toEqual(['insert', 'insert', 'insert', 'ddl', 'commit']);
  });

  it('splits object identities the way pg_identify_object quotes them', () => {
    expect(splitIdentity('public.users')).toEqual(['public', 'users']);
    expect(splitIdentity('"My ""S"".x"."t.1"')).toEqual(['My "S".x', 't.1']);
    expect(splitIdentity('a.b.c')).toBeUndefined();
    expect(splitIdentity('')).toBeUndefined();
  });

  it('rejects protocol violations instead of mis-positioning', () => {
    const decoder = new PgoutputDecoder();
    expect(() => decoder.push(insert(users, { id: '1' }))).toThrow('outside a transaction');
    decoder.push(begin('0/A00'));
    expect(() => decoder.push(begin('0/B00'))).toThrow('inside transaction');
    expect(() => decoder.push(commit('0/B00', '0/B28'))).toThrow('does not match');
  });
});
