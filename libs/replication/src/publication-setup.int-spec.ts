import { Logger } from '@nestjs/common';
import { EphemeralPostgres, waitFor } from '@kasho/testing';
import { withPg } from '@kasho/runtime';
import { PublicationSetup } from './publication-setup';
import { PublicationSwitchError } from './replication.errors';
import { ReplicationOptions } from './replication.options';
import { SourceSetupService } from './source-setup.service';
import { WalReader } from './wal-reader.service';

jest.setTimeout(60_000);

/**
 * The publications on a real PostgreSQL: lists placed by kasho.setup_publications and kept in step by
 * the kasho_publication_upkeep event trigger (sql/10-ddl-capture.sql), a user's publication left alone,
 * and the FOR ALL TABLES publication of an earlier Kasho converted once the slot allows it.
 */
describe('Kasho publications (real PostgreSQL)', () => {
  let pg: EphemeralPostgres;
  let warnings: string[];

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
  });
  afterAll(async () => {
    await pg?.stop();
  });
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const options = (database: string, extra: Partial<ReplicationOptions> = {}): ReplicationOptions => ({
    connectionString: pg.urlFor(database),
    slotName: `${database}_slot`,
    publicationName: 'kasho_pub',
    ...extra,
  });
  const sql = <T extends object = Record<string, unknown>>(database: string, text: string) =>
    withPg({ connectionString: pg.urlFor(database) }, async (c) => (await c.query<T>(text)).rows);
  const database = async (name: string, ddl: string) => {
    await pg.withClient((c) => c.query(`CREATE DATABASE ${name}`), 'postgres');
    if (ddl) await sql(name, ddl);
  };
  /** publication → its tables, as PostgreSQL lists them (a partitioned table's partitions unless via root). */
  const lists = async (db: string) => {
    const rows = await sql<{ pubname: string; tables: string }>(
      db,
      `SELECT p.pubname, COALESCE(string_agg(r.prrelid::regclass::text, ',' ORDER BY r.prrelid::regclass::text COLLATE "C"), '') AS tables
         FROM pg_publication p LEFT JOIN pg_publication_rel r ON r.prpubid = p.oid GROUP BY p.pubname ORDER BY p.pubname`,
    );
    return Object.fromEntries(rows.map((r) => [r.pubname, r.tables]));
  };

  it('places each table by its replica identity and EXCLUDE_TABLES, and keeps the lists in step with DDL without ever failing it', async () => {
    await database(
      'lists',
      `CREATE TABLE keyed (id int PRIMARY KEY, v text); CREATE TABLE events (at timestamptz, v text);
       CREATE TABLE by_index (id int NOT NULL, v text); CREATE UNIQUE INDEX by_index_id ON by_index (id);
       ALTER TABLE by_index REPLICA IDENTITY USING INDEX by_index_id;
       CREATE TABLE parted (id int, PRIMARY KEY (id)) PARTITION BY RANGE (id); CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);
       CREATE TABLE loose (id int) PARTITION BY RANGE (id); CREATE TABLE loose_1 PARTITION OF loose FOR VALUES FROM (0) TO (10);
       CREATE SCHEMA audit; CREATE TABLE audit.trail (id int PRIMARY KEY); CREATE TABLE tmp_a (id int PRIMARY KEY);
       CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY); CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (x int) INHERITS (parent);
       INSERT INTO events VALUES (now(), 'e1'); INSERT INTO loose VALUES (1)`,
    );
    const setup = new SourceSetupService(options('lists', { excludeTables: ['audit.*', 'public.tmp_?'] }));
    await setup.ensure();
    expect(await lists('lists')).toEqual({ kasho_pub: 'by_index,keyed,parent,parted', kasho_pub_inserts: 'child,events,kasho.ddl_log,loose' });
    expect(warnings).toEqual([
      'Tables without a replica identity (no primary key), replicated insert-only: child, events, loose. Their INSERT and TRUNCATE are replicated; ' +
        'their UPDATE and DELETE are accepted by the source and not replicated (add a primary key, or set NO_KEY_TABLES=full)',
    ]);
    // The source accepts UPDATE and DELETE on a table without a replica identity.
    await sql('lists', `UPDATE events SET v = 'e2'; DELETE FROM events; UPDATE loose SET id = 2; DELETE FROM loose; UPDATE child SET x = 1; DELETE FROM child`);

    // DDL, with Kasho not running: the event trigger places tables in the DDL's own transaction.
    await sql(
      'lists',
      `CREATE TABLE later (id int, v text); CREATE TABLE audit.later (id int); CREATE TABLE tmp_b (id int PRIMARY KEY);
       CREATE TABLE later_keyed AS SELECT 1 AS id; ALTER TABLE later_keyed ADD PRIMARY KEY (id);
       CREATE TABLE parted_2 PARTITION OF parted FOR VALUES FROM (10) TO (20);
       CREATE TABLE loose_2 (id int PRIMARY KEY); ALTER TABLE loose ATTACH PARTITION loose_2 FOR VALUES FROM (10) TO (20)`,
    );
    expect(await lists('lists')).toEqual({
      kasho_pub: 'by_index,keyed,later_keyed,parent,parted',
      kasho_pub_inserts: 'child,events,kasho.ddl_log,later,loose',
    });
    await sql('lists', `UPDATE later SET v = 'x'; DELETE FROM later; UPDATE loose SET id = 11 WHERE id = 1`);

    // A table that gains a primary key moves to the full publication; one that loses it moves back.
    await sql('lists', `ALTER TABLE later ADD PRIMARY KEY (id); ALTER TABLE keyed DROP CONSTRAINT keyed_pkey; DROP INDEX by_index_id`);
    expect(await lists('lists')).toEqual({
      kasho_pub: 'later,later_keyed,parent,parted',
      kasho_pub_inserts: 'by_index,child,events,kasho.ddl_log,keyed,loose',
    });
    await sql('lists', `UPDATE keyed SET v = 'k'; DELETE FROM by_index; ALTER TABLE later RENAME TO tmp_c`);
    expect((await lists('lists')).kasho_pub).toBe('later_keyed,parent,parted');

    // The upkeep never fails the DDL: an error is a WARNING, recorded, and reconciled at the next start.
    await sql('lists', 'DROP PUBLICATION kasho_pub_inserts');
    const [created] = await withPg({ connectionString: pg.urlFor('lists') }, async (c) => {
      const notices: string[] = [];
      c.on('notice', (n) => notices.push(`${n.severity}: ${n.message}`));
      await c.query('CREATE TABLE during_outage (v text)');
      return [notices];
    });
    expect(created).toEqual([
      'WARNING: Kasho could not update publication kasho_pub for public.during_outage: publication kasho_pub or kasho_pub_inserts is missing (SQLSTATE P0001); ' +
        'the DDL went through, and pg-change-stream reconciles the publication at its next start',
    ]);
    // Drift: DDL while the event trigger is disabled.
    await sql(
      'lists',
      'ALTER EVENT TRIGGER kasho_publication_upkeep DISABLE; CREATE TABLE while_disabled (id int PRIMARY KEY); ALTER EVENT TRIGGER kasho_publication_upkeep ENABLE',
    );
    warnings = [];
    await setup.ensure();
    expect(warnings[0]).toMatch(
      /^Publication upkeep failed at .* for public.during_outage: publication kasho_pub or kasho_pub_inserts is missing \(SQLSTATE P0001\); reconciled now$/,
    );
    expect(await lists('lists')).toEqual({
      kasho_pub: 'later_keyed,parent,parted,while_disabled',
      kasho_pub_inserts: 'by_index,child,during_outage,events,kasho.ddl_log,keyed,loose',
    });
    expect(await sql('lists', 'SELECT * FROM kasho.publication_upkeep_errors')).toEqual([]);
  });

  it('NO_KEY_TABLES=full sets REPLICA IDENTITY FULL (partitions too); skip leaves such tables out; PUBLISH_VIA_PARTITION_ROOT is set', async () => {
    const ddl = `CREATE TABLE events (v text); CREATE TABLE keyed (id int PRIMARY KEY);
       CREATE TABLE loose (id int) PARTITION BY RANGE (id); CREATE TABLE loose_1 PARTITION OF loose FOR VALUES FROM (0) TO (10)`;
    await database('full_mode', ddl);
    await new SourceSetupService(options('full_mode', { noKeyTables: 'full', publishViaPartitionRoot: true })).ensure();
    expect(await lists('full_mode')).toEqual({ kasho_pub: 'events,keyed,loose', kasho_pub_inserts: 'kasho.ddl_log' });
    await sql('full_mode', 'CREATE TABLE later (v text); CREATE TABLE loose_2 PARTITION OF loose FOR VALUES FROM (10) TO (20)');
    const identities = await sql<{ relname: string; relreplident: string }>(
      'full_mode',
      `SELECT relname, relreplident FROM pg_class WHERE relname IN ('events', 'keyed', 'loose', 'loose_1', 'loose_2', 'later') ORDER BY 1`,
    );
    expect(identities.map((r) => `${r.relname}:${r.relreplident}`)).toEqual(['events:f', 'keyed:d', 'later:f', 'loose:f', 'loose_1:f', 'loose_2:f']);
    expect((await lists('full_mode')).kasho_pub).toBe('events,keyed,later,loose');
    expect(await sql('full_mode', `SELECT pubname, pubviaroot FROM pg_publication ORDER BY 1`)).toEqual([
      { pubname: 'kasho_pub', pubviaroot: true },
      { pubname: 'kasho_pub_inserts', pubviaroot: true },
    ]);
    // Kasho's own REPLICA IDENTITY FULL and ALTER PUBLICATION are not logged as DDL to replicate.
    expect(await sql('full_mode', `SELECT tag FROM kasho.ddl_log WHERE skip IS NULL ORDER BY id`)).toEqual([{ tag: 'CREATE TABLE' }, { tag: 'CREATE TABLE' }]);
    expect(warnings.join('\n')).toContain('replicated with REPLICA IDENTITY FULL (each UPDATE and DELETE writes the whole old row to WAL): events, loose');

    await database('skip_mode', ddl);
    warnings = [];
    await new SourceSetupService(options('skip_mode', { noKeyTables: 'skip' })).ensure();
    await sql('skip_mode', 'CREATE TABLE later (v text); UPDATE events SET v = v');
    expect(await lists('skip_mode')).toEqual({ kasho_pub: 'keyed', kasho_pub_inserts: 'kasho.ddl_log' });
    expect(warnings).toEqual(['Tables without a replica identity, not replicated (NO_KEY_TABLES=skip): events, loose']);
  });

  it("uses a user's publication as it is, with DDL capture on Kasho's own inserts publication, and warns about what it refuses", async () => {
    await database(
      'users',
      `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE c (v text);
       CREATE PUBLICATION mypub FOR TABLE a, c WITH (publish = 'insert, update')`,
    );
    const setup = new SourceSetupService(options('users', { publicationName: 'mypub' }));
    await setup.ensure();
    await sql('users', 'CREATE TABLE d (id int PRIMARY KEY); ALTER TABLE b DROP CONSTRAINT b_pkey');
    await setup.ensure();
    expect(await lists('users')).toEqual({ mypub: 'a,c', mypub_inserts: 'kasho.ddl_log' });
    expect(await sql('users', `SELECT obj_description(oid, 'pg_publication') AS comment FROM pg_publication WHERE pubname = 'mypub'`)).toEqual([
      { comment: null },
    ]);
    expect(warnings.slice(0, 2)).toEqual([
      'Publication "mypub" does not publish delete, truncate: those changes are not replicated',
      'Publication "mypub" (yours) publishes UPDATE/DELETE for tables without a replica identity, so PostgreSQL refuses UPDATE and DELETE on them: c',
    ]);
  });

  it('converts the FOR ALL TABLES publication of an earlier Kasho once the slot has passed the creation of the inserts publication', async () => {
    await database('upgrade', `CREATE TABLE keyed (id int PRIMARY KEY); CREATE TABLE events (v text)`);
    await sql('upgrade', `CREATE PUBLICATION kasho_pub FOR ALL TABLES`);
    await sql('upgrade', `SELECT pg_create_logical_replication_slot('upgrade_slot', 'pgoutput')`);
    const opts = options('upgrade');
    await new SourceSetupService(opts).ensure();
    const publications = new PublicationSetup(opts);
    expect(await sql('upgrade', `SELECT pubname, puballtables FROM pg_publication ORDER BY 1`)).toEqual([
      { pubname: 'kasho_pub', puballtables: true },
      { pubname: 'kasho_pub_inserts', puballtables: false },
    ]);
    const [{ since }] = await sql<{ since: string }>('upgrade', `SELECT inserts_since_lsn::text AS since FROM kasho.publications`);
    const plan = await withPg({ connectionString: opts.connectionString }, (c) => publications.streamPlan(c));
    expect(plan.names).toEqual(['kasho_pub']);
    expect(plan.switchAtLsn).toBeGreaterThan(0n);

    // DDL meanwhile: the old publication holds every table, so the upkeep leaves it (and writes no error).
    await sql('upgrade', `CREATE TABLE during_legacy (v text); CREATE TABLE copied AS SELECT * FROM keyed`);
    expect(await sql('upgrade', 'SELECT * FROM kasho.publication_upkeep_errors')).toEqual([]);
    // A session streams kasho_pub alone; once it acknowledges past the creation of kasho_pub_inserts it
    // ends (PublicationSwitchError), and the next one converts kasho_pub and streams both.
    await sql('upgrade', `INSERT INTO keyed VALUES (1); INSERT INTO events VALUES ('e')`);
    const reader = new WalReader(opts);
    const errors: Error[] = [];
    const handlers = {
      onChanges: async () => undefined,
      onKeepalive: async (walEnd: bigint, _respond: boolean, idle: boolean) => {
        if (idle) await reader.acknowledge(walEnd);
      },
      onError: (err: Error) => errors.push(err),
    };
    try {
      await reader.start(handlers);
      await waitFor(() => errors.length > 0, { timeoutMs: 30_000, what: 'the switch to both publications' });
      expect(errors[0]).toBeInstanceOf(PublicationSwitchError);
      expect(errors[0].message).toBe(
        `the slot has passed the creation of publication "kasho_pub_inserts" (LSN ${since}): restarting the stream with both publications`,
      );
      await reader.stop();
      await reader.start(handlers);
    } finally {
      await reader.stop();
    }
    const next = await withPg({ connectionString: opts.connectionString }, (c) => publications.streamPlan(c));
    expect(next).toEqual({ names: ['kasho_pub', 'kasho_pub_inserts'] });
    expect(await lists('upgrade')).toEqual({ kasho_pub: 'keyed', kasho_pub_inserts: 'copied,during_legacy,events,kasho.ddl_log' });
    expect(
      await sql('upgrade', `SELECT puballtables, left(obj_description(oid, 'pg_publication'), 16) AS c FROM pg_publication WHERE pubname = 'kasho_pub'`),
    ).toEqual([{ puballtables: false, c: 'managed by Kasho' }]);
    // The DDL of the conversion itself is Kasho's: not logged for replication.
    expect(await sql('upgrade', `SELECT tag FROM kasho.ddl_log WHERE skip IS NULL ORDER BY id`)).toEqual([{ tag: 'CREATE TABLE' }, { tag: 'CREATE TABLE AS' }]);
  });
});
