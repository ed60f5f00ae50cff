import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ChangeEnvelope, Position, RelationRef, UniqueKeys } from '@kasho/contracts';
import { Client, QueryConfig, QueryResult } from 'pg';
import { pgClientConfig, readPartitionTrees, readUniqueKeys, type PartitionTree } from '@kasho/runtime';
import { ApplyError, ApplyErrorContext } from './apply.errors';
import { APPLY_OPTIONS } from './apply.module-definition';
import { ApplyOptions, ResolvedApplyOptions, resolveApplyOptions } from './apply.options';
import { PlanError, PlannedStatement, planStatements } from './apply-plan';
import { SqlStatement } from './sql-statement';
import { TargetVersionCheck } from './target-version.check';
import {
  APPLIED_POSITION_EXISTS,
  ENSURE_APPLIED_POSITION,
  ENSURE_TARGET_IDENTITY,
  INSERT_TARGET_IDENTITY,
  LOCK,
  LOCK_HOLDER,
  READ_APPLIED_POSITION,
  READ_TARGET_IDENTITY,
  TARGET_IDENTITY_EXISTS,
  TRY_LOCK,
  WRITE_APPLIED_POSITION,
} from './applied-position.sql';
import { ensureStuckChangeTables, readSkipRequest, readStuckChange, recordFailure, recordSkip, SkipRecord, SkipRequest, StuckChange } from './stuck-change';

const LOCK_WAIT_LOG_INTERVAL_MS = 30_000;
/** unique_violation, exclusion_violation: what a batch's own row order can cause. */
const ORDER_SENSITIVE_SQLSTATES = new Set(['23505', '23P01']);

/**
 * The single writer of the target (I8): one dedicated connection holding a session-level advisory
 * lock. Changes and the new applied position are written in one target transaction (I3), so each
 * source transaction is applied exactly once, with or without a primary key.
 */
@Injectable()
export class TargetApplier implements OnApplicationShutdown {
  private readonly logger = new Logger(TargetApplier.name);
  private readonly options: ResolvedApplyOptions;
  private client?: Client;
  private applied = Position.ZERO;
  /** Last position written in the open transaction; undefined when no transaction is open. */
  private written?: Position;
  /** "schema.table" whose updates go one statement per row from now on (see write()). */
  private readonly updatesOneByOne = new Set<string>();

  private readonly versionCheck: TargetVersionCheck;

  constructor(@Inject(APPLY_OPTIONS) options: ApplyOptions, @Optional() versionCheck?: TargetVersionCheck) {
    this.options = resolveApplyOptions(options);
    this.versionCheck = versionCheck ?? new TargetVersionCheck(options);
  }

  /** The last position committed on the target, as known to this session. */
  get appliedPosition(): Position {
    return this.applied;
  }

  get inTransaction(): boolean {
    return this.written !== undefined;
  }

  /**
   * Connects, takes the session-level advisory lock (waiting, with a log line, while another
   * translicator holds it), ensures `kasho.applied_position` and `kasho.target_identity`, and returns the
   * applied position and the target's stable identity.
   */
  async open(): Promise<{ position: Position; commitEndLsn: string | null; targetId: string }> {
    if (this.client) throw new ApplyError({ kind: 'open' }, 'the applier is already open');
    // synchronous_commit = on whatever the server default: the applied position is reported to the
    // source as durable once COMMIT returns, and the slot lets go of that WAL.
    const client = new Client(
      pgClientConfig({ connectionString: this.options.connectionString, application_name: 'kasho-translicator' }, { synchronous_commit: 'on' }),
    );
    client.on('error', (err) => this.logger.error(`target connection failed: ${ApplyError.from(err, { kind: 'connection' }).message}`));
    this.client = client;
    try {
      await client.connect();
      await this.versionCheck.verify(client);
      await this.lock(client);
      await this.replicaRole(client);
      const exists = await client.query<{ exists: boolean }>(APPLIED_POSITION_EXISTS);
      if (!exists.rows[0]?.exists) await client.query(ENSURE_APPLIED_POSITION);
      await ensureStuckChangeTables(client);
      const targetId = await this.targetIdentity(client);
      const { rows } = await client.query<{ position: string; commit_end_lsn: string }>(READ_APPLIED_POSITION);
      this.applied = rows[0] ? Position.parse(rows[0].position) : Position.ZERO;
      this.written = undefined;
      this.logger.log(`target open; applied position ${this.applied.toString()}`);
      return { position: this.applied, commitEndLsn: rows[0]?.commit_end_lsn ?? null, targetId };
    } catch (err) {
      this.client = undefined;
      await client.end().catch(() => undefined);
      throw ApplyError.from(err, { kind: 'open' });
    }
  }

  /** The target's UUID in kasho.target_identity, created on first use. */
  private async targetIdentity(client: Client): Promise<string> {
    const exists = await client.query<{ exists: boolean }>(TARGET_IDENTITY_EXISTS);
    if (!exists.rows[0]?.exists) await client.query(ENSURE_TARGET_IDENTITY);
    let { rows } = await client.query<{ target_id: string }>(READ_TARGET_IDENTITY);
    if (!rows[0]) {
      await client.query(INSERT_TARGET_IDENTITY, [randomUUID()]);
      ({ rows } = await client.query<{ target_id: string }>(READ_TARGET_IDENTITY));
    }
    return rows[0].target_id;
  }

  /**
   * Replicated changes already include what the source's triggers and cascades did, so the
   * target's must not fire again (PostgreSQL's own subscribers do the same). Needs superuser or, on
   * PostgreSQL 15+, `GRANT SET ON PARAMETER session_replication_role TO <target role>` (the least
   * privilege, docs/ddl-policy.md); without either Kasho still applies, with a warning.
   */
  private async replicaRole(client: Client): Promise<void> {
    try {
      await client.query(`SET session_replication_role = replica`);
    } catch {
      this.logger.warn(
        'cannot SET session_replication_role = replica (needs superuser, or on PostgreSQL 15+ GRANT SET ON PARAMETER session_replication_role TO the target role): ' +
          'triggers and foreign-key actions on the target will fire for replicated changes',
      );
    }
  }

  /** Starts a target transaction. */
  async begin(): Promise<void> {
    const client = this.requireClient('begin');
    if (this.written) throw new ApplyError({ kind: 'begin' }, 'a target transaction is already open');
    await this.run(client, 'BEGIN', { kind: 'begin' });
    this.written = this.applied;
  }

  /**
   * Writes changes (commit entries are skipped) inside the open transaction, in order. Positions must
   * be after the applied position and increase. On failure the transaction is rolled back, then the
   * ApplyError is thrown.
   */
  async write(changes: ChangeEnvelope[]): Promise<void> {
    const client = this.requireClient('write');
    if (!this.written) throw new ApplyError({ kind: 'write' }, 'write() needs an open transaction: call begin() first');
    let statements: PlannedStatement[];
    try {
      statements = planStatements(changes, this.written, this.options.maxRowsPerStatement, this.updatesOneByOne);
    } catch (err) {
      await this.rollback();
      throw err instanceof PlanError ? planErrorToApplyError(err) : ApplyError.from(err, { kind: 'write' });
    }
    for (const statement of statements) {
      const context = contextOf(statement);
      let result: QueryResult;
      try {
        result = await client.query(extended(statement));
      } catch (err) {
        await this.rollback();
        const error = ApplyError.from(err, context, statement.values);
        if ((statement.batchedUpdateRows ?? 0) > 1 && ORDER_SENSITIVE_SQLSTATES.has(error.sqlstate ?? '')) {
          // Rows of one UPDATE are changed in no particular order: values moved between rows of a unique
          // (or exclusion) constraint can clash where the source's order does not. Retried one by one.
          const table = `${statement.schema}.${statement.table}`;
          this.updatesOneByOne.add(table);
          this.logger.warn(
            `A batched update of ${table} hit ${error.sqlstate}; updates of ${table} now go one by one (the retry applies them in source order)`,
          );
        }
        throw error;
      }
      if (statement.expectedRows !== undefined && result.rowCount !== statement.expectedRows) {
        await this.rollback();
        throw new ApplyError(
          context,
          `expected to affect ${statement.expectedRows} row(s) but affected ${result.rowCount ?? 0}: the target has diverged from the source`,
        );
      }
    }
    if (changes.length > 0) this.written = changes[changes.length - 1].position;
  }

  /**
   * The unique indexes and foreign keys of `tables` on the target (by relationKey), read in the open
   * transaction so that DDL written in it counts. On failure the transaction is rolled back.
   */
  async uniqueKeys(tables: readonly RelationRef[]): Promise<Map<string, UniqueKeys>> {
    const client = this.requireClient('catalog');
    try {
      return await readUniqueKeys(client, tables);
    } catch (err) {
      await this.rollback();
      throw ApplyError.from(err, { kind: 'catalog' });
    }
  }

  /**
   * The partition trees of `tables` on the target (by relationKey; a table the target does not have is
   * absent), read in the open transaction so that DDL written in it counts. On failure the transaction is rolled back.
   */
  async partitionTrees(tables: readonly RelationRef[]): Promise<Map<string, PartitionTree>> {
    const client = this.requireClient('catalog');
    try {
      return await readPartitionTrees(client, tables);
    } catch (err) {
      await this.rollback();
      throw ApplyError.from(err, { kind: 'catalog' });
    }
  }

  /** Writes the new applied position in the same transaction, then commits; durable once this resolves. */
  async commit(position: Position, commitEndLsn: string): Promise<void> {
    const client = this.requireClient('commit');
    const context = { kind: 'commit', position };
    if (!this.written) throw new ApplyError(context, 'commit() needs an open transaction');
    if (!/^\d{1,20}$/.test(commitEndLsn)) {
      await this.rollback();
      throw new ApplyError(context, `commitEndLsn must be a decimal LSN, got "${commitEndLsn}"`);
    }
    if (!position.isAfter(this.applied) || position.compare(this.written) < 0) {
      const reason = `the commit position must be after the applied position ${this.applied.toString()} and not before the last written ${this.written.toString()}`;
      await this.rollback();
      throw new ApplyError(context, reason);
    }
    const written = await this.run(client, { text: WRITE_APPLIED_POSITION, values: [position.toString(), commitEndLsn, this.applied.toString()] }, context);
    if (written.rowCount !== 1) {
      await this.rollback();
      throw new ApplyError(
        context,
        `kasho.applied_position no longer holds ${this.applied.toString()}: another writer applied to this target; nothing was committed`,
      );
    }
    const result = await this.run(client, 'COMMIT', context);
    this.written = undefined;
    // COMMIT of a transaction that failed answers ROLLBACK instead of raising an error.
    if (result.command !== 'COMMIT') throw new ApplyError(context, `the target answered ${result.command} to COMMIT; nothing was applied`);
    this.applied = position;
  }

  /**
   * Records the change apply stopped at (outside any transaction: the open one is rolled back first),
   * so that `kasho skip` can check the position it is given. `error` must not hold row values.
   */
  async recordFailure(position: Position, error: string): Promise<void> {
    const client = this.requireClient('record failure');
    await this.rollback();
    await recordFailure(client, position, error);
  }

  /** The recorded failure still ahead of the applied position, and the operator's request to skip it, if any. */
  async stuckChange(): Promise<{ stuck?: StuckChange; skip?: SkipRequest }> {
    const client = this.requireClient('read failure');
    const stuck = await readStuckChange(client);
    const skip = stuck ? await readSkipRequest(client) : undefined;
    return { stuck, skip: skip && stuck && skip.position.equals(stuck.position) ? skip : undefined };
  }

  /** Writes the record of a skipped source transaction in the open transaction; commit() then moves the position past it. */
  async recordSkip(record: SkipRecord): Promise<void> {
    const client = this.requireClient('skip');
    if (!this.written) throw new ApplyError({ kind: 'skip' }, 'recordSkip() needs an open transaction');
    try {
      await recordSkip(client, record);
    } catch (err) {
      await this.rollback();
      throw ApplyError.from(err, { kind: 'skip', position: record.position });
    }
  }

  /** Rolls back the open transaction, if any; never throws (a broken connection has lost it anyway). */
  async rollback(): Promise<void> {
    if (!this.written) return;
    this.written = undefined;
    try {
      await this.client?.query('ROLLBACK');
    } catch (err) {
      this.logger.warn(`rollback failed: ${ApplyError.from(err, { kind: 'rollback' }).message}`);
    }
  }

  /** Ends the session, which releases the advisory lock. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await this.rollback();
    this.client = undefined;
    await client.end().catch((err: unknown) => this.logger.warn(`closing the target connection failed: ${String(err)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async lock(client: Client): Promise<void> {
    const key = this.options.lockKey.toString();
    const { rows } = await client.query<{ locked: boolean }>(TRY_LOCK, [key]);
    if (rows[0]?.locked) return;
    const describeHolder = async (): Promise<string> => {
      const probe = await client.query<{ pid: number; application_name: string; client_addr: string | null }>(LOCK_HOLDER, [key]).catch(() => undefined);
      const holder = probe?.rows[0];
      return holder ? ` (held by pid ${holder.pid}, ${holder.application_name || 'unnamed'}${holder.client_addr ? ` from ${holder.client_addr}` : ''})` : '';
    };
    this.logger.warn(`another translicator holds the target's advisory lock ${key}${await describeHolder()}; waiting for it to end`);
    const started = Date.now();
    const timer = setInterval(() => {
      this.logger.warn(`still waiting for the target's advisory lock ${key} after ${Math.round((Date.now() - started) / 1000)} s`);
    }, LOCK_WAIT_LOG_INTERVAL_MS);
    timer.unref();
    try {
      await client.query(LOCK, [key]);
    } finally {
      clearInterval(timer);
    }
    this.logger.log(`took the target's advisory lock ${key} after waiting ${Date.now() - started} ms`);
  }

  private requireClient(kind: string): Client {
    if (!this.client) throw new ApplyError({ kind }, 'the applier is not open: call open() first');
    return this.client;
  }

  private async run(client: Client, query: string | { text: string; values: string[] }, context: ApplyErrorContext): Promise<QueryResult> {
    try {
      return await client.query(query);
    } catch (err) {
      await this.rollback();
      throw ApplyError.from(err, context);
    }
  }
}

/**
 * Every statement goes through the extended protocol (Parse/Bind/Execute), even without parameters:
 * PostgreSQL refuses a second statement there (42601, "cannot insert multiple commands into a
 * prepared statement"), so replayed DDL can never carry more than itself. node-postgres would use
 * the simple protocol for a query without values; `queryMode: 'extended'` (not in its typings) forces it.
 */
function extended(statement: SqlStatement): QueryConfig {
  const query: QueryConfig & { queryMode: 'extended' } = { text: statement.text, values: statement.values, queryMode: 'extended' };
  return query;
}

function contextOf(statement: PlannedStatement): ApplyErrorContext {
  const { kind, schema, table, firstPosition, lastPosition } = statement;
  return { kind, schema, table, position: firstPosition, lastPosition };
}

function planErrorToApplyError(err: PlanError): ApplyError {
  const change = err.envelope.change;
  const relation = 'schema' in change ? { schema: change.schema, table: change.table } : {};
  return new ApplyError({ kind: change.kind, position: err.envelope.position, ...relation }, err.message);
}
