import { EphemeralPostgres } from '@kasho/testing';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { renderSetupSql } from './render-setup-sql';
import { ReplicationModule } from './replication.module';
import { SlotInUseError, SourcePrivilegeError, WalLevelError } from './replication.errors';
import { ReplicationOptions } from './replication.options';
import { SourceHealthIndicator } from './source.health';
import { SourceSetupService } from './source-setup.service';
import { WalReader } from './wal-reader.service';

jest.setTimeout(60_000);

describe('SourceSetupService (real PostgreSQL)', () => {
  let pg: EphemeralPostgres;
  const options = (): ReplicationOptions => ({ connectionString: pg.url, slotName: 'kasho_slot', publicationName: 'kasho_pub' });

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('sets up DDL capture, publication and slot, idempotently', async () => {
    const setup = new SourceSetupService(options());
    await setup.ensure();
    await setup.ensure();
    const [state] = await pg.query<Record<string, string>>(`
      SELECT (SELECT string_agg(evtname || ':' || evtevent, ',' ORDER BY evtname) FROM pg_event_trigger) AS triggers,
             (SELECT string_agg(pubname || ':' || puballtables || ':' || left(obj_description(oid, 'pg_publication'), 16), ',' ORDER BY pubname)
                FROM pg_publication) AS publications,
             (SELECT string_agg(plugin || '/' || slot_type, ',') FROM pg_replication_slots) AS slots`);
    expect(state).toEqual({
      triggers: 'kasho_capture_ddl:ddl_command_end,kasho_capture_drop:sql_drop,kasho_publication_upkeep:ddl_command_end',
      publications: 'kasho_pub:false:managed by Kasho,kasho_pub_inserts:false:managed by Kasho',
      slots: 'pgoutput/logical',
    });

    // Every top-level firing is logged with its rank among the query's DDL statements; what is not
    // replicated says why (kasho's own objects, replication settings, a CREATE that did nothing);
    // DDL run inside a DO block gets ordinal 0.
    await pg.query('DELETE FROM kasho.ddl_log');
    await pg.withClient((c) => c.query(renderSetupSql('10-ddl-capture.sql')));
    await pg.query(`SET search_path = public; CREATE TABLE a (id serial PRIMARY KEY); CREATE TABLE kasho.scratch ();
      CREATE TABLE IF NOT EXISTS a (); CREATE INDEX ON a (id); COMMENT ON TABLE a IS 'x'; GRANT SELECT ON a TO PUBLIC;
      CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one; REFRESH MATERIALIZED VIEW mv; CREATE TABLE ctas AS SELECT 1 AS one;
      DROP TABLE kasho.scratch; DROP TABLE ctas`);
    await pg.query(`DO $$ BEGIN EXECUTE 'CREATE TABLE nested ()'; END $$`);
    const rows = await pg.query<{ ordinal: number; tag: string; object: string; search_path: string; skip: string | null }>(
      'SELECT ordinal, tag, object, search_path, skip FROM kasho.ddl_log ORDER BY id',
    );
    const kashoRerun = rows.filter((r) => r.search_path !== 'public' && r.ordinal > 0);
    expect(kashoRerun.length).toBeGreaterThan(0);
    expect(kashoRerun.every((r) => r.skip === 'kasho schema' || r.skip === 'no-op')).toBe(true);
    expect(rows.filter((r) => r.search_path === 'public').map((r) => [r.ordinal, r.tag, r.object, r.skip])).toEqual([
      [1, 'CREATE TABLE', 'public.a', null],
      [2, 'CREATE TABLE', 'kasho.scratch', 'kasho schema'],
      [3, 'CREATE TABLE', '', 'no-op'],
      [4, 'CREATE INDEX', 'public.a_id_idx', null],
      [5, 'COMMENT', 'public.a', null],
      [6, 'GRANT', '', null],
      [7, 'CREATE MATERIALIZED VIEW', 'public.mv', null],
      [8, 'REFRESH MATERIALIZED VIEW', 'public.mv', null],
      [9, 'CREATE TABLE AS', 'public.ctas', null],
      [10, 'DROP TABLE', '', 'kasho schema'],
      [11, 'DROP TABLE', '', null],
    ]);
    expect(rows[rows.length - 1]).toEqual({ ordinal: 0, tag: 'CREATE TABLE', object: 'public.nested', search_path: '"$user", public', skip: null });

    // ensure() recreates a dropped slot.
    await pg.query(`SELECT pg_drop_replication_slot('kasho_slot')`);
    await setup.ensure();
    expect(await pg.query(`SELECT slot_name FROM pg_replication_slots`)).toEqual([{ slot_name: 'kasho_slot' }]);
  });

  it('names the sql/ file a DBA must run when the role lacks privileges, then only verifies', async () => {
    await pg.withClient((c) => c.query('CREATE DATABASE restricted'), 'postgres');
    await pg.query(`CREATE ROLE app LOGIN PASSWORD 's3cret-pw'`);
    const restricted = { ...options(), connectionString: pg.urlFor('restricted', 'app', 's3cret-pw'), slotName: 'restricted_slot' };
    const setup = new SourceSetupService(restricted);

    const err = await setup.ensure().catch((e: Error) => e);
    expect(err).toBeInstanceOf(SourcePrivilegeError);
    expect((err as Error).message).toMatch(/a DBA must run sql\/10-ddl-capture\.sql/);
    expect((err as Error).message).not.toMatch(/s3cret-pw|postgresql:\/\//);

    // A DBA installs DDL capture and the publication; the app role still cannot create the slot.
    await pg.withClient(async (c) => {
      await c.query(renderSetupSql('10-ddl-capture.sql'));
      await c.query(renderSetupSql('20-publication.sql', { publication_name: 'kasho_pub' }));
    }, 'restricted');
    await expect(setup.ensure()).rejects.toThrow(/a DBA must run sql\/30-replication-slot\.sql/);

    await pg.query('ALTER ROLE app WITH REPLICATION');
    await setup.ensure();
    await setup.ensure();
    const slots = await pg.query<{ database: string }>(`SELECT database FROM pg_replication_slots WHERE slot_name = 'restricted_slot'`);
    expect(slots).toEqual([{ database: 'restricted' }]);
  });

  it('refuses a slot another process streams from, naming the pid', async () => {
    const reader = new WalReader(options());
    const errors: Error[] = [];
    await reader.start({ onChanges: async () => undefined, onKeepalive: () => undefined, onError: (e) => errors.push(e) });
    try {
      const [{ pid }] = await pg.query<{ pid: number }>(`SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = 'kasho_slot'`);
      const err = await new SourceSetupService(options()).ensure().catch((e: Error) => e);
      expect(err).toBeInstanceOf(SlotInUseError);
      expect((err as Error).message).toBe(
        `replication slot "kasho_slot" is in use by another process (pid ${pid}): only one pg-change-stream may use a slot; ` +
          `stop the other instance, or drop the slot with SELECT pg_drop_replication_slot('kasho_slot') / use a different REPLICATION_SLOT`,
      );
      const second = new WalReader(options());
      await expect(second.start({ onChanges: async () => undefined, onKeepalive: () => undefined, onError: () => undefined })).rejects.toBeInstanceOf(
        SlotInUseError,
      );
      await second.stop();
      expect(errors).toEqual([]);
    } finally {
      await reader.stop();
      await reader.stop();
    }
  });

  it('reports the health of the source and its slot through the Nest module, without the URL', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ReplicationModule.forRootAsync({ useFactory: () => ({ ...options(), healthTimeoutMs: 1_000 }) })],
    }).compile();
    const app = await moduleRef.createNestApplication().init();
    try {
      expect(app.get(SourceSetupService)).toBeInstanceOf(SourceSetupService);
      expect(app.get(WalReader)).toBeInstanceOf(WalReader);
      const health = app.get(SourceHealthIndicator);
      expect(await health.check('source')).toEqual({
        source: { status: 'up', slot: 'kasho_slot', active: false, retainedWalBytes: expect.any(Number), walStatus: 'reserved' },
      });

      const missing = new SourceHealthIndicator(app.get(HealthIndicatorService, { strict: false }), { ...options(), slotName: 'nope' });
      expect(await missing.check('source')).toEqual({
        source: { status: 'down', slot: 'nope', message: 'replication slot "nope" does not exist on the source' },
      });

      const down = new SourceHealthIndicator(app.get(HealthIndicatorService, { strict: false }), {
        ...options(),
        connectionString: 'postgresql://u:hidden-pw@127.0.0.1:1/db',
        healthTimeoutMs: 500,
      });
      const result = await down.check('source');
      expect(result.source.status).toBe('down');
      expect(JSON.stringify(result)).not.toMatch(/hidden-pw/);
    } finally {
      await app.close();
    }
  });
});

describe('SourceSetupService without wal_level=logical', () => {
  it('says what to change', async () => {
    const pg = await EphemeralPostgres.start({ settings: { wal_level: 'replica' } });
    try {
      const err = await new SourceSetupService({ connectionString: pg.url, slotName: 's', publicationName: 'p' }).ensure().catch((e: Error) => e);
      expect(err).toBeInstanceOf(WalLevelError);
      expect((err as Error).message).toBe('source wal_level is "replica"; Kasho needs wal_level=logical (see sql/00-check-wal-level.sql)');
    } finally {
      await pg.stop();
    }
  });
});
