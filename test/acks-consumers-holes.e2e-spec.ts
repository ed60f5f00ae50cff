import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import type Redis from 'ioredis';
import { Client } from 'pg';
import { freePort, waitFor } from '@kasho/testing';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';
import { RawGrpc } from './support/raw-grpc';
import { ServiceProcess } from './support/service-process';

const STREAM = 'kasho:{default}:changes';

/**
 * Issue 12, items 2 and 3, against the real executables: a forged Ack, a second consumer, entries
 * deleted from the middle of the Redis stream, and snapshot RPCs for tables outside the publication.
 */
describe('trust: unforgeable acks, one consumer, snapshot tables, a buffer that proves it is whole', () => {
  let k: KashoPipeline;
  let grpc: RawGrpc;
  let redis: Redis;
  let targetId: string;

  beforeAll(async () => {
    k = await KashoPipeline.start();
    grpc = RawGrpc.authenticated(k.changeStream.env.GRPC_PORT);
    redis = k.redis.client();
    targetId = (await k.target.query<{ id: string }>(`SELECT target_id::text AS id FROM kasho.target_identity`))[0].id;
  }, 180_000);

  afterAll(async () => {
    grpc?.close();
    redis?.disconnect();
    await k?.stop();
  }, 60_000);

  const slotLsn = async () =>
    (await k.source.query<{ lsn: string }>(`SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = 'kasho_slot'`))[0].lsn;

  async function insertTransactions(table: string, transactions: number, rows: number, first = 1): Promise<void> {
    const client = new Client(k.source.clientConfig());
    await client.connect();
    try {
      for (let t = 0; t < transactions; t++) {
        const from = first + t * rows;
        await client.query(`INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series($1::int, $2::int) g`, [from, from + rows - 1]);
      }
    } finally {
      await client.end();
    }
  }

  async function restartTranslicator(): Promise<void> {
    k.translicator.start();
    await k.translicator.waitHealthy(60_000);
  }

  it("serves snapshot RPCs only for published tables: never a catalog, kasho's schema or an unlogged table", async () => {
    await k.source.query(`CREATE UNLOGGED TABLE public.private_notes (id int PRIMARY KEY, secret text)`);
    await k.source.query(`INSERT INTO public.private_notes VALUES (1, 'top-secret-note')`);
    await k.source.query(`CREATE TABLE public.published (id int PRIMARY KEY, v text); INSERT INTO public.published VALUES (1, 'a')`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.published`);
    for (const table of ['pg_catalog.pg_authid', 'information_schema.sql_features', 'kasho.ddl_log', 'public.private_notes', 'public.no_such_table']) {
      const refused = await grpc.prepare({ table, workers: 1, target_id: targetId }).then(
        () => undefined,
        (err: ServiceError) => err,
      );
      expect({ table, code: refused?.code }).toEqual({ table, code: grpcStatus.NOT_FOUND });
      expect(refused?.details).toContain('is not in the table selection (publications kasho_pub, kasho_pub_inserts)');
    }
    // A resync snapshot of a published table holds only that table: CopyRange of anything else is refused.
    const plan = await grpc.prepare({ table: 'public.published', workers: 1, target_id: targetId });
    expect(plan.tables.map((t) => `${t.schema}.${t.table}`)).toEqual(['public.published']);
    try {
      for (const [schema, table] of [
        ['pg_catalog', 'pg_authid'],
        ['public', 'private_notes'],
        ['kasho', 'ddl_log'],
      ]) {
        const err = (await grpc.copyRange({ snapshot_id: plan.snapshot_id, schema, table, start_block: '0', end_block: '0' }).then(
          () => undefined,
          (e: ServiceError) => e,
        )) as ServiceError | undefined;
        expect({ table, code: err?.code }).toEqual({ table, code: grpcStatus.NOT_FOUND });
      }
      const chunks = await grpc.copyRange({ snapshot_id: plan.snapshot_id, schema: 'public', table: 'published', start_block: '0', end_block: '0' });
      expect(chunks.reduce((n, c) => n + Number(c.rows), 0)).toBe(1);
    } finally {
      await grpc.finish({ snapshot_id: plan.snapshot_id });
    }
    expect(k.logs()).not.toContain('top-secret-note');
  }, 120_000);

  it('a forged Ack neither trims Redis nor moves the slot, and the target ends with every row', async () => {
    await k.source.query(`CREATE TABLE public.acked (id int PRIMARY KEY, v text)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.acked`);
    await k.translicator.kill('SIGKILL');
    const applied = (await k.target.query<{ position: string }>(`SELECT position FROM kasho.applied_position`))[0].position;
    await insertTransactions('public.acked', 20, 10);
    await waitFor(async () => (await redis.xlen(STREAM)) >= 20 * 11, { timeoutMs: 60_000, what: '20 transactions buffered' });
    const lengthBefore = await redis.xlen(STREAM);
    const slotBefore = await slotLsn();
    const last = (await redis.xrevrange(STREAM, '+', '-', 'COUNT', 1))[0][0];

    // The forger opens a stream as the target and takes three changes (inserts of the first transaction).
    const consumerId = 'forger-1';
    const call = grpc.stream({ after_position: applied, window: 3, consumer_id: consumerId, target_id: targetId });
    const sent = await new Promise<string[]>((resolve, reject) => {
      call.once('data', (batch: { changes: { position: string }[] }) => resolve(batch.changes.map((c) => c.position)));
      call.once('error', reject);
    });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(3);
    const forged = async (request: Parameters<RawGrpc['ack']>[0]) =>
      grpc.ack(request).then(
        () => 'accepted',
        (err: ServiceError) => err.code,
      );
    // Beyond what was sent, with a bogus commit end LSN:
    expect(await forged({ consumer_id: consumerId, applied_position: last, applied_commit_end_lsn: '18446744073709551615' })).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(await forged({ consumer_id: consumerId, received_position: last })).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(await forged({ consumer_id: consumerId, applied_position: '18446744073709551615-0', applied_commit_end_lsn: '99999999999' })).toBe(
      grpcStatus.INVALID_ARGUMENT,
    );
    // Within what was sent, but not a commit:
    expect(await forged({ consumer_id: consumerId, applied_position: sent[0], applied_commit_end_lsn: '99999999999' })).toBe(grpcStatus.INVALID_ARGUMENT);
    // From no open stream:
    expect(await forged({ consumer_id: 'nobody', applied_position: last, applied_commit_end_lsn: '99999999999' })).toBe(grpcStatus.FAILED_PRECONDITION);
    call.cancel();

    expect(await redis.xlen(STREAM)).toBe(lengthBefore);
    expect(await slotLsn()).toBe(slotBefore);
    expect(k.changeStream.output.join('\n')).toContain('Refused an Ack from consumer forger-1');

    await restartTranslicator();
    await k.waitForEqual(tableDigestSql('public.acked'), 120_000);
    expect(await k.target.query(`SELECT count(*)::int AS n FROM public.acked`)).toEqual([{ n: 200 }]);
  }, 240_000);

  it('entries deleted from the middle of the stream are found, the buffer is rebuilt from the slot, and the target ends exact', async () => {
    await k.source.query(`CREATE TABLE public.holey (id int PRIMARY KEY, v text)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.holey`);
    await k.translicator.kill('SIGKILL');
    await insertTransactions('public.holey', 50, 100);
    await waitFor(async () => (await redis.xlen(STREAM)) >= 50 * 101, { timeoutMs: 90_000, what: '50 transactions of 100 rows buffered' });
    const entries = await redis.xrange(STREAM, '-', '+');
    const middle = Math.floor(entries.length / 2);
    const victims = entries.slice(middle, middle + 11).map(([id]) => id);
    expect(await redis.xdel(STREAM, ...victims)).toBe(11);

    await restartTranslicator();
    await k.waitForEqual(tableDigestSql('public.holey'), 180_000);
    expect(await k.target.query(`SELECT count(*)::int AS n FROM public.holey`)).toEqual([{ n: 5000 }]);
    const logs = k.changeStream.output.join('\n');
    expect(logs).toContain('Buffer hole while streaming');
    expect(logs).toMatch(/Buffer deleted after a hole: decoding restarts from the replication slot/);
    expect(await k.changeStream.metrics()).toMatch(/kasho_errors_total\{service="pg-change-stream",kind="buffer_gap"\} [1-9]/);
  }, 300_000);

  it('refuses a second translicator for another target database while the first streams 6,000 rows', async () => {
    await k.source.query(`CREATE TABLE public.counted (id int PRIMARY KEY, v text)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.counted`);
    await k.target.query(`CREATE DATABASE other_snapshot`);
    await k.target.query(`CREATE DATABASE other_stream`);
    const second = async (database: string, extra: Record<string, string>) => {
      const port = await freePort();
      const service = new ServiceProcess(
        'pg-translicator',
        { ...k.translicator.env, REPLICA_DATABASE_URL: k.target.urlFor(database), HTTP_PORT: String(port), ...extra },
        port,
      );
      service.start();
      return service;
    };
    // One would snapshot (re-creating the slot), the other would stream from the shared buffer.
    const snapshotting = await second('other_snapshot', {});
    const streaming = await second('other_stream', { SNAPSHOT_MODE: 'never' });
    try {
      const writing = insertTransactions('public.counted', 60, 100);
      for (const service of [snapshotting, streaming]) {
        await waitFor(() => service.output.some((line) => line.includes('is consuming this change stream')), {
          timeoutMs: 60_000,
          what: `${service.env.REPLICA_DATABASE_URL} refused`,
        }).catch((err: Error) => {
          throw new Error(`${err.message}\n${service.tail()}`);
        });
      }
      await writing;
      await k.waitForEqual(tableDigestSql('public.counted'), 180_000);
      expect(await k.target.query(`SELECT count(*)::int AS n FROM public.counted`)).toEqual([{ n: 6000 }]);
      const refusedLines = [...snapshotting.output, ...streaming.output].filter((l) => l.includes('is consuming this change stream'));
      expect(refusedLines.join('\n')).toContain('one pg-change-stream serves one target database');
      expect(await k.target.withClient((c) => c.query(`SELECT to_regclass('public.counted') AS t`), 'other_stream')).toMatchObject({ rows: [{ t: null }] });
      expect(k.translicator.running).toBe(true);
    } finally {
      await Promise.all([snapshotting.kill('SIGKILL'), streaming.kill('SIGKILL')]);
    }
  }, 300_000);

  it('refuses to start on a Redis whose maxmemory-policy evicts any key, naming the policy and the fix', async () => {
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const [grpcPort, httpPort] = [await freePort(), await freePort()];
      const second = new ServiceProcess('pg-change-stream', { ...k.changeStream.env, GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort) }, httpPort);
      second.start();
      expect(await second.exited(60_000)).not.toBe(0);
      const output = second.tail(50);
      expect(output).toContain('maxmemory-policy allkeys-lru');
      expect(output).toContain('noeviction');
      expect(output).toContain(`redis://127.0.0.1:${k.redis.port}`);
    } finally {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
    }
    expect(k.changeStream.running).toBe(true);
  }, 120_000);

  it('a hot standby of the same target takes over once the holder is killed with -9', async () => {
    await k.source.query(`CREATE TABLE public.standby (id int PRIMARY KEY, v text)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.standby`);
    const port = await freePort();
    const standby = new ServiceProcess('pg-translicator', { ...k.translicator.env, HTTP_PORT: String(port) }, port);
    standby.start();
    try {
      await waitFor(() => standby.output.some((line) => line.includes("holds the target's advisory lock")), {
        timeoutMs: 60_000,
        what: 'standby waiting for the lock',
      });
      await k.translicator.kill('SIGKILL');
      await insertTransactions('public.standby', 10, 100);
      await k.waitForEqual(tableDigestSql('public.standby'), 120_000);
      expect(await k.target.query(`SELECT count(*)::int AS n FROM public.standby`)).toEqual([{ n: 1000 }]);
      expect(standby.output.join('\n')).not.toContain('is consuming this change stream');
    } finally {
      await standby.kill('SIGKILL');
    }
  }, 180_000);
});
