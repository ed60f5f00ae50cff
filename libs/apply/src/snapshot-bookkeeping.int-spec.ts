import { Position, relationKey } from '@kasho/contracts';
import { closePg } from '@kasho/runtime';
import { EphemeralPostgres } from '@kasho/testing';
import type { Client } from 'pg';
import { ENSURE_APPLIED_POSITION } from './applied-position.sql';
import {
  doneRanges,
  ensureSnapshotTables,
  finishRun,
  indexedTables,
  rangeKey,
  readRun,
  recordIndexed,
  recordRange,
  recordTableResync,
  startRun,
  tableResyncsAfter,
  writeSnapshotPosition,
} from './snapshot-bookkeeping';
import { openTargetSession } from './target-session';

/** The snapshot's and table resyncs' bookkeeping in schema kasho, and the target session they run on, against a real target. */
describe('snapshot bookkeeping', () => {
  let pg: EphemeralPostgres;
  let client: Client;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
    client = await openTargetSession(pg.url, 'kasho-bookkeeping-spec', { synchronousCommit: true });
    await ensureSnapshotTables(client);
    await ensureSnapshotTables(client);
  }, 60_000);

  afterAll(async () => {
    await closePg(client);
    await pg?.stop();
  });

  it('opens target sessions as replica, with synchronous_commit off unless asked for', async () => {
    // The ephemeral cluster runs with synchronous_commit off: make the database's default on.
    await pg.query(`DO $$ BEGIN EXECUTE pg_catalog.format('ALTER DATABASE %I SET synchronous_commit = on', pg_catalog.current_database()); END $$`);
    const settings = `SELECT current_setting('session_replication_role') AS role, current_setting('synchronous_commit') AS sync, current_setting('application_name') AS name`;
    const fast = await openTargetSession(pg.url, 'kasho-bookkeeping-fast');
    const safe = await openTargetSession(pg.url, 'kasho-bookkeeping-safe', { synchronousCommit: true });
    try {
      expect((await fast.query(settings)).rows[0]).toEqual({ role: 'replica', sync: 'off', name: 'kasho-bookkeeping-fast' });
      expect((await safe.query(settings)).rows[0]).toEqual({ role: 'replica', sync: 'on', name: 'kasho-bookkeeping-safe' });
    } finally {
      await closePg(fast);
      await closePg(safe);
    }
  });

  it('starts a run (forgetting the last one), records ranges and indexed tables, and finishes it', async () => {
    expect(await readRun(client)).toBeUndefined();
    await startRun(client, 's1', 100n, 2);
    await recordRange(client, 'public', 'users', { startBlock: 0n, endBlock: 10n }, 5);
    await recordIndexed(client, 'public', 'users');
    await startRun(client, 's2', 200n, 2);
    expect(await readRun(client)).toEqual({ snapshotId: 's2', consistentLsn: 200n, phase: 'data' });
    expect((await doneRanges(client)).size).toBe(0);
    expect((await indexedTables(client)).size).toBe(0);

    await recordRange(client, 'public', 'users', { startBlock: 10n, endBlock: 0n }, 7);
    await recordIndexed(client, 'public', 'users');
    expect(await doneRanges(client)).toEqual(new Map([[rangeKey('public', 'users', 10n), 7]]));
    expect(await indexedTables(client)).toEqual(new Set([relationKey('public', 'users')]));
    await finishRun(client, 7);
    expect((await readRun(client))?.phase).toBe('done');
  });

  it('writes the snapshot position only from the position read (compare-and-set)', async () => {
    await client.query(ENSURE_APPLIED_POSITION);
    const zero = Position.ZERO;
    const snapshot = Position.parse('300-0');
    expect(await writeSnapshotPosition(client, snapshot, 300n, zero)).toBe(true);
    expect(await writeSnapshotPosition(client, Position.parse('400-0'), 400n, zero)).toBe(false);
    const { rows } = await client.query<{ position: string; commit_end_lsn: string }>(`SELECT position, commit_end_lsn FROM kasho.applied_position`);
    expect(rows).toEqual([{ position: snapshot.toString(), commit_end_lsn: '300' }]);
  });

  it('records table resyncs and reads those past an applied commit LSN', async () => {
    await recordTableResync(client, 'public', 'users', 500n, 3);
    await recordTableResync(client, 'public', 'orders', 100n, 1);
    await recordTableResync(client, 'public', 'users', 600n, 4);
    expect(await tableResyncsAfter(client, 200n)).toEqual([{ schema: 'public', table: 'users', afterLsn: 600n }]);
    expect(await tableResyncsAfter(client, 600n)).toEqual([]);
  });
});
