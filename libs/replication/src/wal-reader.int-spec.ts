import { ChangeEnvelope, ChangePayload, CommitChange, DdlChange, RowChange, TruncateChange, lsnToBigInt } from '@kasho/contracts';
import { EphemeralPostgres, waitFor } from '@kasho/testing';
import { Client } from 'pg';
import { ReplicationOptions } from './replication.options';
import { SourceSetupService } from './source-setup.service';
import { WalReader } from './wal-reader.service';

jest.setTimeout(90_000);

/** Records what a WalReader hands on, answering keepalives as the app does. */
class Collector {
  readonly envelopes: ChangeEnvelope[] = [];
  readonly errors: Error[] = [];
  readonly keepalives: Array<{ walEnd: bigint; shouldRespond: boolean; idle: boolean }> = [];
  acked = 0n;

  constructor(private readonly reader: WalReader) {}

  handlers() {
    return {
      onChanges: async (changes: ChangeEnvelope[]) => void this.envelopes.push(...changes),
      onKeepalive: async (walEnd: bigint, shouldRespond: boolean, idle: boolean) => {
        this.keepalives.push({ walEnd, shouldRespond, idle });
        if (shouldRespond && this.acked > 0n) await this.reader.acknowledge(this.acked);
      },
      onError: (err: Error) => void this.errors.push(err),
    };
  }

  commits(): CommitChange[] {
    return this.envelopes.map((e) => e.change).filter((c): c is CommitChange => c.kind === 'commit');
  }

  /** The changes of the transaction with this xid, its commit entry last. */
  async transaction(xid: string): Promise<ChangeEnvelope[]> {
    const commit = await waitFor(() => this.envelopes.find((e) => e.change.kind === 'commit' && String(e.change.xid) === xid), {
      timeoutMs: 15_000,
      what: `commit of xid ${xid}`,
    });
    const lsn = commit.position.commitLsn;
    return this.envelopes.filter((e) => e.position.commitLsn === lsn);
  }
}

describe('WalReader (real PostgreSQL)', () => {
  let pg: EphemeralPostgres;
  let options: ReplicationOptions;
  let reader: WalReader;
  let collector: Collector;
  let sql: Client;

  /** Runs one top-level query (possibly several statements) as one transaction; returns its xid. */
  async function run(query: string): Promise<string> {
    const results = await sql.query(`${query}; SELECT (txid_current() % 4294967296)::text AS xid`);
    const last = Array.isArray(results) ? results[results.length - 1] : results;
    return last.rows[0].xid as string;
  }
  const payloads = (envelopes: ChangeEnvelope[]): ChangePayload[] => envelopes.map((e) => e.change);

  beforeAll(async () => {
    pg = await EphemeralPostgres.start({ settings: { wal_sender_timeout: '4s' } });
    options = { connectionString: pg.url, slotName: 'kasho_slot', publicationName: 'kasho_pub' };
    await pg.query(`
      CREATE TYPE mood AS ENUM ('happy', 'it''s ok');
      CREATE TABLE typed (id bigint PRIMARY KEY, n numeric(30,10), i8 int8, ts timestamptz, ia int[], ta text[],
                          j json, jb jsonb, b bytea, u uuid, m mood, s text, s2 text);
      CREATE TABLE toasty (id int PRIMARY KEY, big text, small int);
      ALTER TABLE toasty ALTER COLUMN big SET STORAGE EXTERNAL;
      CREATE TABLE fully (a int, b text);
      ALTER TABLE fully REPLICA IDENTITY FULL;
      CREATE TABLE plain (id int PRIMARY KEY, v text);`);
    await new SourceSetupService(options).ensure();
    sql = new Client(pg.clientConfig());
    await sql.connect();
    reader = new WalReader(options);
    collector = new Collector(reader);
    await reader.start(collector.handlers());
  });

  afterAll(async () => {
    await reader?.stop();
    await sql?.end();
    await pg?.stop();
  });

  afterEach(() => expect(collector.errors).toEqual([]));

  it('delivers inserts with every value exactly as PostgreSQL prints it, NULL apart from the empty string', async () => {
    const xid = await run(`INSERT INTO typed VALUES (1, 12345678901234567890.0123456789, 9007199254740993,
      '2024-02-29 23:59:59.123456+00', '{1,NULL,3}', ARRAY['a"b', 'with space', NULL, 'NULL', '', 'x\\y,{z}'],
      '{"b": 1,   "a": [1, 2.50]}', '{"b": 1, "a": [1, 2.50]}', '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      'it''s ok', '', NULL)`);
    const [insert, commit] = payloads(await collector.transaction(xid)) as [RowChange, CommitChange];
    const [expected] = await pg.query<Record<string, string | null>>(
      'SELECT id::text, n::text, i8::text, ts::text, ia::text, ta::text, j::text, jb::text, b::text, u::text, m::text, s, s2 FROM typed WHERE id = 1',
    );
    expect(insert.kind).toBe('insert');
    expect(insert.new).toEqual(expected);
    expect(insert.new).toMatchObject({
      n: '12345678901234567890.0123456789',
      i8: '9007199254740993',
      j: '{"b": 1,   "a": [1, 2.50]}',
      b: '\\x00ff10',
      s: '',
      s2: null,
    });
    expect(insert.new!.ts).toContain('.123456');
    expect(insert.columns.map((c) => [c.name, c.type, c.key])).toEqual([
      ['id', 'bigint', true],
      ['n', 'numeric(30,10)', false],
      ['i8', 'bigint', false],
      ['ts', 'timestamp with time zone', false],
      ['ia', 'integer[]', false],
      ['ta', 'text[]', false],
      ['j', 'json', false],
      ['jb', 'jsonb', false],
      ['b', 'bytea', false],
      ['u', 'uuid', false],
      ['m', 'public.mood', false],
      ['s', 'text', false],
      ['s2', 'text', false],
    ]);
    expect(commit).toMatchObject({ kind: 'commit', xid: Number(xid), changeCount: 1 });
  });

  it('delivers a primary key change with the old key, a delete by key, and a truncate', async () => {
    const xid = await run('UPDATE typed SET id = 2, s = NULL WHERE id = 1; DELETE FROM typed WHERE id = 2; TRUNCATE typed, plain RESTART IDENTITY');
    const [update, del, truncate, commit] = payloads(await collector.transaction(xid));
    expect(update).toMatchObject({ kind: 'update', old: { id: '1' }, new: { id: '2', s: null, s2: null }, replicaIdentity: 'default' });
    expect((update as RowChange).unchangedToast).toBeUndefined();
    expect(del).toEqual(expect.objectContaining({ kind: 'delete', old: { id: '2' } }));
    expect(truncate).toEqual<TruncateChange>({
      kind: 'truncate',
      relations: [
        { schema: 'public', table: 'typed' },
        { schema: 'public', table: 'plain' },
      ],
      cascade: false,
      restartIdentity: true,
    });
    expect(commit).toMatchObject({ kind: 'commit', changeCount: 3 });
  });

  it('sends the whole old row under REPLICA IDENTITY FULL', async () => {
    await run(`INSERT INTO fully VALUES (1, 'x'), (2, NULL)`);
    const xid = await run('DELETE FROM fully WHERE a = 2');
    const [del] = payloads(await collector.transaction(xid));
    expect(del).toMatchObject({ kind: 'delete', old: { a: '2', b: null }, replicaIdentity: 'full' });
  });

  it('leaves an unchanged TOASTed value out of an update and lists it', async () => {
    await run(`INSERT INTO toasty SELECT 1, string_agg(md5(random()::text), '') FROM generate_series(1, 200)`);
    const xid = await run('UPDATE toasty SET small = 5 WHERE id = 1');
    const [update] = payloads(await collector.transaction(xid)) as RowChange[];
    expect(update.new).toEqual({ id: '1', small: '5' });
    expect(update.unchangedToast).toEqual(['big']);
  });

  it('delivers DDL in order before the rows that depend on it, with the source search_path', async () => {
    const xid = await run(
      `SET search_path = public; INSERT INTO plain VALUES (1, 'CREATE TABLE not_ddl ()'); CREATE TABLE IF NOT EXISTS plain ();
       CREATE TABLE later (id int PRIMARY KEY, v text DEFAULT 'a;b');
       ALTER TABLE later ADD COLUMN w int; INSERT INTO later VALUES (1, $$x;y$$, 2)`,
    );
    const changes = payloads(await collector.transaction(xid));
    expect(changes.map((c) => c.kind)).toEqual(['insert', 'ddl', 'ddl', 'insert', 'commit']);
    expect(changes[1]).toEqual<DdlChange>({
      kind: 'ddl',
      sql: "CREATE TABLE later (id int PRIMARY KEY, v text DEFAULT 'a;b')",
      searchPath: 'public',
      tag: 'CREATE TABLE',
      object: 'public.later',
    });
    expect(changes[2]).toMatchObject({ kind: 'ddl', sql: 'ALTER TABLE later ADD COLUMN w int', tag: 'ALTER TABLE' });
    expect(changes[3]).toMatchObject({ kind: 'insert', table: 'later', new: { id: '1', v: 'x;y', w: '2' } });
    expect((changes[3] as RowChange).columns.map((c) => c.name)).toEqual(['id', 'v', 'w']);
  });

  it('positions interleaved transactions by commit order', async () => {
    const first = new Client(pg.clientConfig());
    const second = new Client(pg.clientConfig());
    await first.connect();
    await second.connect();
    try {
      await first.query('BEGIN');
      await first.query(`INSERT INTO plain VALUES (10, 'began first')`);
      const [{ xid: xidFirst }] = (await first.query(`SELECT (txid_current() % 4294967296)::text AS xid`)).rows;
      await second.query('BEGIN');
      await second.query(`INSERT INTO plain VALUES (11, 'began second')`);
      const [{ xid: xidSecond }] = (await second.query(`SELECT (txid_current() % 4294967296)::text AS xid`)).rows;
      await second.query('COMMIT');
      await first.query('COMMIT');
      const a = await collector.transaction(xidSecond);
      const b = await collector.transaction(xidFirst);
      expect(collector.envelopes.indexOf(a[0])).toBeLessThan(collector.envelopes.indexOf(b[0]));
      expect(a[a.length - 1].position.isAfter(a[0].position)).toBe(true);
      expect(b[0].position.isAfter(a[a.length - 1].position)).toBe(true);
      expect(a.map((e) => e.position.toString().split('-')[1])).toEqual(['0', '1']);
    } finally {
      await first.end();
      await second.end();
    }
  });

  it('reports keepalives, idle between transactions', async () => {
    collector.acked = lsnToBigInt((await pg.query<{ lsn: string }>(`SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots`))[0].lsn);
    const since = collector.keepalives.length;
    await waitFor(() => collector.keepalives.slice(since).some((k) => k.idle && k.walEnd > 0n), { timeoutMs: 15_000, what: 'an idle keepalive' });
  });

  it('acknowledges exactly the commit end LSN, and re-delivers only what follows it after a restart', async () => {
    const ackedXid = await run(`INSERT INTO plain VALUES (20, 'acknowledged')`);
    const acked = (await collector.transaction(ackedXid)).pop()!.change as CommitChange;
    await reader.acknowledge(BigInt(acked.commitEndLsn));
    collector.acked = BigInt(acked.commitEndLsn);
    await waitFor(
      async () => {
        const [{ lsn }] = await pg.query<{ lsn: string }>(`SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = 'kasho_slot'`);
        return lsnToBigInt(lsn) === BigInt(acked.commitEndLsn);
      },
      { timeoutMs: 10_000, what: 'confirmed_flush_lsn = commitEndLsn' },
    );
    const pendingXid = await run(`INSERT INTO plain VALUES (21, 'not acknowledged')`);
    await collector.transaction(pendingXid);

    await reader.stop();
    await reader.stop();
    collector = new Collector(reader);
    collector.acked = BigInt(acked.commitEndLsn);
    await reader.start(collector.handlers());
    const again = await collector.transaction(pendingXid);
    expect(again[0].change).toMatchObject({ kind: 'insert', new: { id: '21', v: 'not acknowledged' } });
    const redelivered = collector.commits();
    expect(redelivered.map((c) => String(c.xid))).not.toContain(ackedXid);
    expect(redelivered.every((c) => BigInt(c.commitEndLsn) > BigInt(acked.commitEndLsn))).toBe(true);
  });

  it('reports a lost source connection to onError; stop() then start() resumes', async () => {
    const [{ pid }] = await pg.query<{ pid: number }>(`SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = 'kasho_slot'`);
    await pg.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor(() => collector.errors.length > 0, { timeoutMs: 10_000, what: 'onError' });
    expect(collector.errors[0].message).not.toMatch(/postgresql:\/\//);
    collector.errors.length = 0;
    await reader.stop();
    await waitFor(async () => !(await pg.query<{ active: boolean }>(`SELECT active FROM pg_replication_slots`))[0].active, { what: 'slot released' });
    await reader.start(collector.handlers());
    const xid = await run(`INSERT INTO plain VALUES (30, 'after reconnect')`);
    expect(payloads(await collector.transaction(xid))[0]).toMatchObject({ kind: 'insert', new: { id: '30' } });
  });
});
