import { HealthIndicatorService } from '@nestjs/terminus';
import { EphemeralPostgres } from '@kasho/testing';
import { SlotLagProbe } from './slot-lag.probe';
import { SourceHealthIndicator } from './source.health';

jest.setTimeout(90_000);

/** A slot that outgrows max_slot_wal_keep_size: reserved, then lost; the health indicator goes down, naming it. */
describe('slot WAL status (real PostgreSQL)', () => {
  let pg: EphemeralPostgres;
  let probe: SlotLagProbe;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start({ settings: { max_slot_wal_keep_size: '1MB' } });
    probe = new SlotLagProbe({ connectionString: pg.url, slotName: 'kept', publicationName: 'p' });
  });

  afterAll(async () => {
    await probe?.onApplicationShutdown();
    await pg?.stop();
  });

  it('reports the retained WAL while reserved, and down once the WAL is gone (lost)', async () => {
    const health = new SourceHealthIndicator(new HealthIndicatorService(), { connectionString: pg.url, slotName: 'kept', publicationName: 'p' });
    await pg.query(`SELECT pg_create_logical_replication_slot('kept', 'pgoutput')`);
    await pg.query(`CREATE TABLE filler (id int, pad text)`);
    await pg.query(`INSERT INTO filler SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g`);
    const reserved = await health.check('source');
    expect(reserved.source).toMatchObject({ status: 'up', slot: 'kept', active: false, walStatus: 'reserved' });
    expect(reserved.source.retainedWalBytes).toBeGreaterThan(0);

    for (let i = 0; i < 4; i++) {
      await pg.query(`INSERT INTO filler SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g`);
      await pg.query(`SELECT pg_switch_wal()`);
    }
    await pg.query(`CHECKPOINT`);
    await new Promise((r) => setTimeout(r, 600)); // past the probe's reuse of its last answer
    expect((await probe.slotWal())?.walStatus).toBe('lost');
    const lost = await health.check('source');
    expect(lost.source).toMatchObject({ status: 'down', slot: 'kept', walStatus: 'lost' });
    expect(lost.source.message).toContain('lost the WAL it needs');
  });
});
